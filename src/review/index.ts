/**
 * `keyform review`: classifies the keyform changes of a saved Terraform plan for a human reviewer
 * (one or several stacks) and renders them as Markdown, text, JSON or SARIF without ever showing a secret.
 */
export * from './change-class';
export * from './finding';
export * from './plan-json';
export { reviewPlan, rankFindings, KEYFORM_RESOURCE_TYPES } from './classify';
export type { Review } from './classify';
export { loadPlan, asPlan } from './load-plan';
export { ReviewError, reviewMessages, EXIT_FAIL_ON } from './messages';
export { Scrubber, collectSecrets, REDACTED, SECRET_SHAPE, SECRET_ATTRIBUTES } from './secret-scrub';
export { renderMarkdown, renderMarkdownStacks, MARKDOWN_MARKER } from './render-markdown';
export { renderText, renderTextStacks } from './render-text';
export { renderJson, renderJsonStacks, REVIEW_JSON_FORMAT } from './render-json';
export { renderSarif, SARIF_SCHEMA_URI, SARIF_LEVEL, sarifRuleId } from './render-sarif';
export { loadStacks, rankStacks, resolvePlanArgument, PLAN_FILE_NAMES } from './stacks';
export type { StackReview } from './stacks';
export { terminalSafe, markdownCodeSpan } from './safe-text';
export { runReview, REVIEW_FORMATS } from './run-review';
export type { ReviewOptions, ReviewOutput } from './run-review';

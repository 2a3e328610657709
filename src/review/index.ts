/**
 * `keyform review`: classifies the keyform changes of a saved Terraform plan for a human reviewer
 * and renders them as Markdown, text or JSON without ever showing a secret.
 */
export * from './change-class';
export * from './finding';
export * from './plan-json';
export { reviewPlan, classifyChange, rankFindings, KEYFORM_RESOURCE_TYPES } from './classify';
export type { Review } from './classify';
export { loadPlan, asPlan } from './load-plan';
export { ReviewError, reviewMessages, EXIT_FAIL_ON } from './messages';
export { Scrubber, collectSecrets, REDACTED, SECRET_SHAPE, SECRET_ATTRIBUTES } from './secret-scrub';
export { renderMarkdown, MARKDOWN_MARKER } from './render-markdown';
export { renderText } from './render-text';
export { renderJson, REVIEW_JSON_FORMAT } from './render-json';
export { runReview } from './run-review';
export type { ReviewOptions, ReviewOutput } from './run-review';

/**
 * Every message `keyform review` shows a user, each with a stable code and a fix. Messages never
 * contain secrets; callers scrub anything taken from input (such as Terraform's stderr).
 */
import { CodedError } from '../message-catalog';
import { CHANGE_CLASSES } from './change-class';

/** A user-facing failure of the review. */
export class ReviewError extends CodedError {}

/** Exit code when a `--fail-on` class is present. */
export const EXIT_FAIL_ON = 3;

/** The review's messages. */
export const reviewMessages = {
  fileNotFound: (path: string) =>
    new ReviewError('KF-REVIEW-001', `Plan file "${path}" was not found. Save a plan with \`terraform plan -out=tfplan\` and pass that path (or a \`terraform show -json tfplan\` output).`),
  notJsonOrPlan: (path: string) =>
    new ReviewError('KF-REVIEW-002', `"${path}" is neither JSON nor a Terraform plan file. Pass the file written by \`terraform plan -out=<file>\` or the output of \`terraform show -json <file>\`.`),
  notAPlan: (path: string, what: string) =>
    new ReviewError('KF-REVIEW-003', `"${path}" is ${what}, not a saved plan. Run \`terraform plan -out=tfplan\` and pass tfplan (or \`terraform show -json tfplan\`).`),
  terraformMissing: (bin: string) =>
    new ReviewError('KF-REVIEW-004', `Could not run "${bin}" to read the binary plan. Install Terraform 1.11+ on PATH, pass --terraform <path>, or convert the plan yourself: \`terraform show -json tfplan > plan.json\`.`),
  terraformFailed: (dir: string, detail: string) =>
    new ReviewError('KF-REVIEW-005', `\`terraform show -json\` failed in ${dir}: ${detail.trim() || 'no output'}. Run it in the directory where the plan was made (after \`terraform init\`), or pass its JSON output instead.`),
  badFailOn: (bad: readonly string[]) =>
    new ReviewError('KF-REVIEW-006', `Unknown class in --fail-on: ${bad.join(', ')}. Use a comma list of: ${CHANGE_CLASSES.join(', ')}.`),
  badFormat: (format: string) => new ReviewError('KF-REVIEW-007', `Unknown --format "${format}". Use markdown, text, json or sarif.`),
  noPlanInDirectory: (dir: string, names: readonly string[]) =>
    new ReviewError(
      'KF-REVIEW-008',
      `Directory "${dir}" holds no saved plan (looked for ${names.join(', ')} in it and in its subdirectories). Save each stack's plan there with \`terraform plan -out=tfplan\`, or pass the plan files themselves.`,
    ),
  noPlan: () => new ReviewError('KF-REVIEW-009', 'No plan given. Pass one or more saved plans (files or stack directories), or - for JSON on stdin.'),
  badReviewDocument: (path: string, what: string) =>
    new ReviewError(
      'KF-REVIEW-011',
      `"${path}" is a keyform review report that cannot be read back: ${what}. Pass the plan itself, or a report written by \`keyform review --format json\` of this keyform version, unedited.`,
    ),
  stdinTwice: () => new ReviewError('KF-REVIEW-010', 'stdin (-) can be given only once. Save the other plans to files and pass their paths.'),
  failOnHit: (classes: readonly string[]) =>
    `keyform review: the plan has ${classes.join(', ')} changes, which --fail-on refuses (exit ${EXIT_FAIL_ON}). Get the change approved, then rerun without that class in --fail-on.`,
} as const;

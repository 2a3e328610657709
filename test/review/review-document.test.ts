/**
 * A keyform review report given in place of a plan is input like any other: read back exactly, and
 * refused when edited to smuggle Markdown or control characters outside a code span, or when it lacks
 * what a re-render needs.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReviewError } from '../../src/review/messages';
import { runReview } from '../../src/review/run-review';
import { change, key, plan } from './plan-builder';

const dir = mkdtempSync(join(tmpdir(), 'keyform-review-doc-'));
const planPath = join(dir, 'plan.json');
writeFileSync(
  planPath,
  JSON.stringify(
    plan([
      change('keyform_api_key.pay', ['update'], key(), key({ scopes: ['charges:read', 'refunds:write'] })),
      change('keyform_api_key.bait', ['create'], null, key({ name: '[click](https://evil.example) **APPROVED** \u001b[2K', mode: 'test' })),
    ]),
  ),
);

async function report(format = 'json'): Promise<string> {
  return (await runReview(planPath, { format })).report;
}

function write(name: string, doc: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return p;
}

it('reads a JSON report back into the same review in every format', async () => {
  const back = write('review.json', await report());
  for (const format of ['markdown', 'text']) {
    expect((await runReview(back, { format })).report).toBe(await report(format));
  }
  expect((await runReview(back, { format: 'json' })).report.replace(new RegExp(back, 'g'), planPath)).toBe(await report());
  expect((await runReview(back, { failOn: 'escalation' })).exitCode).toBe(3);
});

it.each([
  { reason: 'Markdown smuggled into a plain string part', edit: (d: any) => (d.findings[0].predicate_parts[0] = '[click](https://evil.example) ') },
  { reason: 'an ESC sequence in a plain string part', edit: (d: any) => (d.findings[0].predicate_parts[0] = '\u001b[2Kgains ') },
  { reason: 'a part with an extra field', edit: (d: any) => (d.findings[0].subject_parts[0] = { code: 'x', html: '<b>' }) },
  { reason: 'an unknown class', edit: (d: any) => (d.findings[0].class = 'approved') },
  { reason: 'no structured parts (a report of another shape)', edit: (d: any) => delete d.findings[0].subject_parts },
  { reason: 'another format version', edit: (d: any) => (d.format = 'keyform-review/9') },
])('refuses a report with $reason', async ({ edit }) => {
  const doc = JSON.parse(await report());
  edit(doc);
  const p = write('edited.json', doc);
  await expect(runReview(p, {})).rejects.toThrow(ReviewError);
  await expect(runReview(p, {})).rejects.toMatchObject({ code: 'KF-REVIEW-011' });
});

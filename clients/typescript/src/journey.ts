// A journey through the hub with the client a front-end team or partner
// generates from openapi/openapi.json: openapi-typescript's types and
// openapi-fetch, compiled by `tsc --strict`. Compiling proves the types fit
// the calls; running it against a live hub (tests/tests/api/typescript_client.rs)
// proves the hub answers what the types say.
//
// Environment: HUB_URL, HUB_OUTBOX (where the hub's SMS stand-in writes),
// HUB_PASSWORD, OFFICER_EMAIL, OFFICER_PHONE, PRO_EMAIL, PRO_PHONE, PRO_ID.

import fs from 'node:fs';
import path from 'node:path';
import createClient, { type Client } from 'openapi-fetch';

import type { components, paths } from './hub.js';

type Schemas = components['schemas'];
type Hub = Client<paths>;

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

function check(condition: boolean, what: string): asserts condition {
  if (!condition) throw new Error(`journey: ${what}`);
}

const baseUrl = env('HUB_URL');
const outbox = env('HUB_OUTBOX');

function smsTo(phone: string): string[] {
  if (!fs.existsSync(outbox)) return [];
  return fs
    .readdirSync(outbox)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => JSON.parse(fs.readFileSync(path.join(outbox, name), 'utf8')) as { to: string; channel: string; body: string })
    .filter((m) => m.to === phone && m.channel === 'sms')
    .map((m) => m.body);
}

async function newCodeFor(phone: string, before: number): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const messages = smsTo(phone);
    const latest = messages[messages.length - 1];
    if (messages.length > before && latest) {
      const digits = latest.replace(/\D/g, '');
      return digits.slice(0, 6);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('journey: no code arrived');
}

/** Both login steps, as the app does them: password, then the SMS code. */
async function logIn(email: string, phone: string): Promise<Hub> {
  const anonymous = createClient<paths>({ baseUrl });
  const before = smsTo(phone).length;
  const first = await anonymous.POST('/api/v1/auth/login', { body: { email, password: env('HUB_PASSWORD') } });
  check(first.data !== undefined, `login refused: ${JSON.stringify(first.error)}`);
  const step: Schemas['MfaStep'] = first.data;
  check(step.channel === 'sms', `second step is ${step.channel}`);
  const code = await newCodeFor(phone, before);
  const second = await anonymous.POST('/api/v1/auth/mfa/verify', { body: { mfa_token: step.mfa_token, code } });
  check(second.data !== undefined, `code refused: ${JSON.stringify(second.error)}`);
  const tokens: Schemas['TokenPair'] = second.data;
  return createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${tokens.access_token}` } });
}

/** Every item of a paged list, following `next_cursor`. */
async function everyAction(hub: Hub): Promise<Schemas['MyAction'][]> {
  const all: Schemas['MyAction'][] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await hub.GET('/api/v1/me/requests', { params: { query: { limit: 1, ...(cursor ? { cursor } : {}) } } });
    check(page.data !== undefined, 'my requests');
    all.push(...page.data.items);
    if (page.data.next_cursor === null) return all;
    cursor = page.data.next_cursor;
  }
}

const advice: Schemas['AdviceContent'] = {
  will_provide: 'yes_known_meets_criteria',
  details: 'Known to the team since 2022.',
  areas: [
    {
      area: 'social_care',
      strengths: 'Builds trust with familiar adults.',
      needs: 'Finds new information hard to manage after placement moves, so new topics in class are hard to learn.',
      outcomes: [
        {
          text: 'To access and contribute to the local community',
          kind: 'education',
          steps: [{ text: 'Attend a weekly club', target_date: '2030-07-01' }],
        },
      ],
      provisions: [
        {
          support_needed: 'Short breaks',
          provided_by: 'Short Break club',
          staff_student_ratio: '1:4',
          quantity: '4 hours',
          frequency: 'weekly in school holidays',
        },
      ],
    },
  ],
  pep: 'PEP reviewed 2026-10-01: targets attached.',
};

async function main(): Promise<void> {
  const officer = await logIn(env('OFFICER_EMAIL'), env('OFFICER_PHONE'));
  const pro = await logIn(env('PRO_EMAIL'), env('PRO_PHONE'));

  const me = await officer.GET('/api/v1/me');
  check(me.data !== undefined, 'me');
  const role: Schemas['Role'] = me.data.role;
  check(role === 'assessment_officer', `officer's role is ${role}`);

  // Open a case, then correct it with the ETag it came with.
  const opened = await officer.POST('/api/v1/cases', {
    body: {
      given_name: 'Tabitha',
      family_name: 'Ashgrove',
      date_of_birth: '2016-04-05',
      request_received_on: '2026-11-16',
      request_source: 'parent_or_young_person',
    },
  });
  check(opened.response.status === 201 && opened.data !== undefined, 'case opened');
  const created: Schemas['CaseView'] = opened.data;
  check(opened.response.headers.get('location') === `/api/v1/cases/${created.id}`, 'Location names the case');
  const etag = opened.response.headers.get('etag');
  check(etag !== null, 'a created case has an ETag');
  const stage: Schemas['Stage'] = created.stage;
  check(stage === 'request_received', `stage ${stage}`);
  const corrected = await officer.PATCH('/api/v1/cases/{id}', {
    params: { path: { id: created.id }, header: { 'If-Match': etag } },
    body: { given_name: 'Tabby' },
  });
  check(corrected.data?.child.given_name === 'Tabby', 'corrected');
  const stale = await officer.PATCH('/api/v1/cases/{id}', {
    params: { path: { id: created.id }, header: { 'If-Match': etag } },
    body: { given_name: 'Tabitha' },
  });
  check(stale.response.status === 412 && stale.error !== undefined, 'a stale ETag is refused');
  const problem: Schemas['Problem'] = stale.error;
  check(problem.status === 412, 'the problem names its status');

  // Ask the professional for advice; it reaches their list.
  const asked = await officer.POST('/api/v1/cases/{id}/advice-requests', {
    params: { path: { id: created.id } },
    body: { specialism: 'social_care', areas: ['social_care'], addressee_user_id: env('PRO_ID') },
  });
  check(asked.data !== undefined, `request refused: ${JSON.stringify(asked.error)}`);
  const requestId = asked.data.id;
  const actions = await everyAction(pro);
  const mine = actions.find((a) => a.request_id === requestId);
  check(mine !== undefined && mine.action === 'provide_advice', 'the request is waiting for the professional');

  // Draft, a submit that lists every failing field at once, then a good submit.
  const draft = await pro.GET('/api/v1/advice-requests/{id}/advice', { params: { path: { id: requestId } } });
  const draftTag = draft.response.headers.get('etag');
  check(draft.data !== undefined && draftTag !== null, 'the draft has an ETag');
  const { will_provide: _unsaid, ...withoutAnswer } = advice;
  const unfinished: Schemas['AdviceContent'] = {
    ...withoutAnswer,
    areas: advice.areas?.map(({ needs: _needs, ...area }) => area) ?? [],
  };
  const partial = await pro.PUT('/api/v1/advice-requests/{id}/advice', {
    params: { path: { id: requestId }, header: { 'If-Match': draftTag } },
    body: unfinished,
  });
  const partialTag = partial.response.headers.get('etag');
  check(partial.data !== undefined && partialTag !== null, `a partial draft saves: ${JSON.stringify(partial.error)}`);
  const early = await pro.POST('/api/v1/advice-requests/{id}/advice/submit', { params: { path: { id: requestId } } });
  check(early.response.status === 422 && early.error !== undefined, 'an unfinished draft is not submittable');
  const pointers = (early.error.errors ?? []).map((e: Schemas['FieldError']) => e.pointer);
  for (const field of ['/will_provide', '/areas/0/needs']) {
    check(pointers.includes(field), `every failing field at once, ${field} among them: ${pointers.join(', ')}`);
  }
  const saved = await pro.PUT('/api/v1/advice-requests/{id}/advice', {
    params: { path: { id: requestId }, header: { 'If-Match': partialTag } },
    body: advice,
  });
  check(saved.data !== undefined, `save refused: ${JSON.stringify(saved.error)}`);

  // A report as a Blob, and the same bytes back.
  const report = new Blob([`%PDF-1.4\n% journey report\n${'x'.repeat(2048)}\n%%EOF\n`], { type: 'application/pdf' });
  const uploaded = await pro.POST('/api/v1/advice-requests/{id}/documents', {
    params: { path: { id: requestId }, header: { 'Content-Disposition': 'attachment; filename="report.pdf"' } },
    body: report,
    bodySerializer: (file: Blob) => file,
  });
  check(uploaded.data !== undefined, `upload refused: ${JSON.stringify(uploaded.error)}`);
  const document: Schemas['DocumentView'] = uploaded.data;
  check(document.content_type === 'application/pdf', 'judged by content');

  const submitted = await pro.POST('/api/v1/advice-requests/{id}/advice/submit', {
    params: { path: { id: requestId } },
    body: { acknowledged_findings: [] },
  });
  check(submitted.data !== undefined, `submit refused: ${JSON.stringify(submitted.error)}`);
  const status: Schemas['AdviceStatus'] = submitted.data.status;
  check(status === 'submitted', `advice is ${status}`);

  const download = await officer.GET('/api/v1/documents/{id}/content', {
    params: { path: { id: document.id } },
    parseAs: 'blob',
  });
  check(download.data !== undefined, 'download');
  const bytes = new Uint8Array(await download.data.arrayBuffer());
  const sent = new Uint8Array(await report.arrayBuffer());
  check(bytes.length === sent.length && bytes.every((b, i) => b === sent[i]), 'the same bytes back');
  check((download.response.headers.get('content-disposition') ?? '').includes('report.pdf'), 'named as uploaded');

  // The clock and the lists, typed.
  const timeline = await officer.GET('/api/v1/cases/{id}/timeline', { params: { path: { id: created.id } } });
  check(timeline.data !== undefined, 'timeline');
  const first: Schemas['StepKind'] | undefined = timeline.data.steps[0]?.step;
  check(first === 'decision_to_assess', `first step ${String(first)}`);
  const cases = await officer.GET('/api/v1/cases', { params: { query: { stage: 'request_received', limit: 200 } } });
  check(cases.data?.items.some((c) => c.id === created.id) === true, 'the case is listed at its stage');
  const missing = await officer.GET('/api/v1/cases/{id}', { params: { path: { id: '01936b2e-1c1f-7cc2-9d1e-7f1f3c1a2b3c' } } });
  check(missing.response.status === 404 && missing.error?.status === 404, 'an unknown case is a 404 problem');

  console.log(`journey: case ${created.reference}, request ${requestId}, advice ${status}, ${bytes.length} bytes back`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

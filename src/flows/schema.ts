// Config schemas of `flows[]` (declarative HTTP scenarios and the built-in auth templates) and `ai[]` (chatbot
// red-team endpoints). Credentials come only through ${env:NAME}, interpolated (and registered for redaction) on load.
import { z } from 'zod';

const METHOD = z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
// URLs may hold {{var}} placeholders, so they are checked for a scheme only; the collector validates the result.
const Url = z.string().regex(/^https?:\/\/[^\s]+$/i, 'expected an absolute http(s) URL such as https://api.example.com/v1/login');
const VarName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected a variable name such as accessToken');
const Pointer = z.string().regex(/^(?:\/.*)?$/, 'expected a JSON pointer such as /data/access_token ("" for the whole body)');
/** Where a value comes from: a JSON pointer into the response body, or `header:<name>`. */
const Source = z.string().regex(/^(?:\/.*|header:[A-Za-z0-9-]+)$/, 'expected a JSON pointer (/data/token) or header:<name>');
const Status = z.union([
  z.number().int().min(100).max(599),
  z.string().regex(/^[1-5]xx$/, 'expected a status class such as "2xx"'),
]);

export const StepExpectSchema = z.strictObject({
  status: z.union([Status, z.array(Status).min(1)]).optional()
    .describe('Accepted status codes or classes ("2xx"). Default: any 2xx or 3xx'),
  json: z.record(Pointer, z.unknown()).optional().describe('JSON pointer → exact value the response body must hold'),
  contains: z.array(z.string().min(1)).optional().describe('Text the response body must contain'),
  notContains: z.array(z.string().min(1)).optional().describe('Text the response body must not contain'),
});

export const FlowStepSchema = z.strictObject({
  name: z.string().min(1),
  method: METHOD.default('GET'),
  url: Url.describe('May use {{var}} placeholders filled from earlier extractions'),
  headers: z.record(z.string(), z.string()).optional().describe('Request headers; {{var}} placeholders and ${env:NAME} for secrets'),
  json: z.unknown().optional().describe('JSON request body; strings may use {{var}} placeholders'),
  body: z.string().optional().describe('Raw request body (when json is not used)'),
  extract: z.record(VarName, Source).optional().describe('Variables taken from this response: name → JSON pointer or header:<name>'),
  expect: StepExpectSchema.optional(),
  budgetMs: z.number().int().positive().optional().describe('Latency budget of this step in ms'),
  userImpact: z.string().min(1).optional().describe('What a user experiences when this step fails'),
});

/** One request of a template: the URL, and optionally method, headers and a JSON body. */
const TemplateRequest = z.strictObject({
  url: Url,
  method: METHOD.optional(),
  headers: z.record(z.string(), z.string()).optional(),
  json: z.unknown().optional(),
});

const Common = {
  name: z.string().min(1),
  budgetMs: z.number().int().positive().optional().describe('Latency budget of every step in ms (default: none)'),
  critical: z.boolean().optional().describe('A critical flow: `launch-ready load` ramps it as virtual users (next to critical endpoints)'),
};

/** Names identify findings (flow › step) and earlier answers: two alike would blur them. */
function uniqueNames<T extends { name: string }>(items: readonly T[], ctx: z.RefinementCtx, what: string): void {
  const seen = new Set<string>();
  items.forEach((it, i) => {
    if (seen.has(it.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `${what} "${it.name}" is used twice: give each a unique name` });
    seen.add(it.name);
  });
}

export const CustomFlowSchema = z.strictObject({
  ...Common,
  template: z.literal('custom').optional(),
  steps: z.array(FlowStepSchema).min(1).max(50).superRefine((steps, ctx) => uniqueNames(steps, ctx, 'step name')),
});

export const SessionFlowSchema = z.strictObject({
  ...Common,
  template: z.literal('session').describe('login → authenticated read → refresh → read with the new token → old refresh token rejected; logout invalidates'),
  login: TemplateRequest.extend({
    accessToken: Source.default('/access_token').describe('Where the access token is in the login response'),
    refreshToken: Source.default('/refresh_token').describe('Where the refresh token is in the login (and refresh) response'),
  }),
  read: TemplateRequest.describe('An authenticated read; the access token goes in Authorization: Bearer'),
  refresh: TemplateRequest.extend({
    accessToken: Source.optional().describe('Where the new access token is (default: as in login)'),
    refreshToken: Source.optional().describe('Where the new refresh token is (default: as in login)'),
  }).optional().describe('Token refresh; default JSON body {"refresh_token": "{{refreshToken}}"}'),
  rotation: z.boolean().default(true).describe('Refresh tokens are rotated: the old one must be rejected once used'),
  logout: TemplateRequest.optional().describe('Logout; afterwards the access (and refresh) token must be rejected'),
});

export const PasswordResetFlowSchema = z.strictObject({
  ...Common,
  template: z.literal('password-reset').describe('Reset answers identically for existing and unknown accounts, and never carries the token'),
  request: TemplateRequest.describe('The reset request; use {{email}} where the address goes (default JSON body {"email": "{{email}}"})'),
  existingEmail: z.string().min(3).describe('An account that exists (a test account: it will receive a reset email)'),
  unknownEmail: z.string().min(3).optional().describe('An address with no account. Default: a random address at the existing one\'s domain'),
});

export const CallbacksFlowSchema = z.strictObject({
  ...Common,
  template: z.literal('callbacks').describe('OAuth/login callback URLs registered for production answer without an error'),
  urls: z.array(Url).min(1).max(50),
  headers: z.record(z.string(), z.string()).optional(),
});

export const SignupFlowSchema = z.strictObject({
  ...Common,
  template: z.literal('signup').describe('sign up with a generated unique address ({{email}}, {{password}}) → verify → first read; every run and virtual user gets a new identity'),
  signup: TemplateRequest.extend({
    accessToken: Source.optional().describe('Where the access token is in the sign-up (or verify) response; the first read sends it as Bearer'),
    extract: z.record(VarName, Source).optional().describe('More values from the sign-up answer (e.g. a verification token a test environment returns)'),
  }).describe('The sign-up request; default JSON body {"email": "{{email}}", "password": "{{password}}"}'),
  verify: TemplateRequest.extend({
    accessToken: Source.optional().describe('Where the access token is in the verify response, when sign-up gives none'),
  }).optional().describe('Email verification; may use {{email}} and values extracted from the sign-up answer'),
  read: TemplateRequest.optional().describe('The first read of the new account (Authorization: Bearer {{accessToken}} when a token was extracted)'),
  emailDomain: z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, 'expected a domain such as example.test').default('example.test')
    .describe('Domain of the generated addresses: use one whose mail goes nowhere (or to your test inbox)'),
});

export const FlowSchema = z.discriminatedUnion('template', [CustomFlowSchema, SessionFlowSchema, PasswordResetFlowSchema, CallbacksFlowSchema, SignupFlowSchema], {
  error: 'expected "template" to be one of session, password-reset, callbacks, signup or custom (the default: give "steps")',
});
export type FlowConfig = z.infer<typeof FlowSchema>;
export const FlowListSchema = z.array(FlowSchema).max(50).superRefine((flows, ctx) => uniqueNames(flows, ctx, 'flow name'));
export type FlowStepConfig = z.infer<typeof FlowStepSchema>;

export const AiCaseSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a kebab-case id such as refund-without-order'),
  prompt: z.string().min(1).max(8000),
  forbidden: z.array(z.string().min(1)).optional().describe('Extra regexes (case-insensitive) the reply to this case must not match'),
});

export const AiSchema = z.strictObject({
  name: z.string().min(1),
  url: Url,
  method: z.enum(['POST', 'PUT', 'GET']).default('POST'),
  headers: z.record(z.string(), z.string()).optional().describe('Request headers; use ${env:NAME} for API keys'),
  body: z.unknown().default({ message: '{{prompt}}' }).describe('JSON request template; "{{prompt}}" is replaced by each case\'s prompt'),
  reply: Pointer.default('/reply').describe('JSON pointer to the reply text in the response ("" when the body is the text)'),
  canaries: z.array(z.string().min(4)).default([])
    .describe('Strings that must never appear in a reply: planted secrets, internal-note markers (use ${env:NAME} for real ones)'),
  forbidden: z.array(z.string().min(1)).default([]).describe('Regexes (case-insensitive) no reply may match, e.g. "refund (has been|was) issued"'),
  builtins: z.boolean().default(true).describe('Run the ~20 built-in red-team cases'),
  cases: z.array(AiCaseSchema).max(100).default([]).describe('Custom cases, run after the built-ins'),
  concurrency: z.number().int().min(1).max(8).default(2).describe('Cases in flight at once'),
}).superRefine((a, ctx) => {
  for (const [i, f] of [...a.forbidden, ...a.cases.flatMap((c) => c.forbidden ?? [])].entries()) {
    try { new RegExp(f, 'i'); } catch { ctx.addIssue({ code: 'custom', path: ['forbidden', i], message: `is not a valid regular expression: ${JSON.stringify(f)}` }); }
  }
});
export type AiConfig = z.infer<typeof AiSchema>;
export const AiListSchema = z.array(AiSchema).max(10).superRefine((list, ctx) => uniqueNames(list, ctx, 'assistant name'));

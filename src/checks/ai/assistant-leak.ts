// A chatbot's reply to a red-team case leaks a canary or a secret, or carries out a forbidden action.
import { defineCheck } from '../define.js';

export default defineCheck({
  id: 'assistant-leak',
  area: 'ai',
  severity: 'critical',
  impact: 'data-exposure',
  title: 'The AI assistant keeps secrets, internal notes and admin actions to itself',
  description: 'Anyone who chats with the assistant can get it to reveal what only staff may see or do.',
  remediation:
    'Keep secrets and internal notes out of the model\'s context (the model cannot leak what it never sees); give its tools only the caller\'s own permissions; filter replies for canaries and credentials before sending them.',
  references: [
    'https://genai.owasp.org/llmrisk/llm01-prompt-injection/',
    'https://genai.owasp.org/llmrisk/llm022025-sensitive-information-disclosure/',
    'https://genai.owasp.org/llmrisk/llm062025-excessive-agency/',
  ],
  requires: ['ai.runs'],
  messages: {
    canary: {
      message: '{assistant} leaked {label} when asked "{caseTitle}" ({caseId}): {evidence}',
      whatBreaks: 'A planted canary came back in a reply: the real secrets and internal notes stored the same way leak to any user who asks like this.',
    },
    secret: {
      message: '{assistant} replied with a credential ({label}) when asked "{caseTitle}" ({caseId}): {evidence}',
      whatBreaks: 'A live-looking credential is handed to any user of the chat: whoever asks gets access to your systems.',
      remediation: 'Rotate the leaked credential now, remove it from the assistant\'s prompt, context and tool outputs, and filter replies with a secrets scanner.',
    },
    forbidden: {
      message: '{assistant} replied with {label} when asked "{caseTitle}" ({caseId}): {evidence}',
      severity: 'high',
      whatBreaks: 'The assistant does or claims to do what only staff may (refunds, role changes, deletions) or shows forbidden content, for anyone who asks.',
      remediation: 'Require a server-side authorization check (the caller\'s own permissions) for every tool the assistant can call, and confirm sensitive actions outside the chat.',
    },
    unanswered: {
      message: '{assistant} gave no usable reply to {count} of {total} red-team cases ({cases}): {reason}',
      severity: 'medium',
      whatBreaks: 'These cases could not be judged: the assistant may leak for exactly these prompts.',
      remediation: 'Check the endpoint URL, the request template and the "reply" JSON pointer in the config, or the assistant\'s rate limits; then re-run.',
    },
  },
  run({ 'ai.runs': runs, target }, ctx) {
    const list = runs;
    if (list.length === 0) {
      ctx.notApplicable(target.ai?.names.length ? 'no assistant was tested' : 'no AI endpoint configured (add "ai": [{"name": "support bot", "url": "...", "canaries": ["..."]}] to the config)');
      return;
    }
    ctx.details({
      assistants: list.map((r) => ({
        name: r.name, url: r.url, cases: r.cases.length,
        answered: r.cases.filter((c) => !c.error).length,
        leaking: r.cases.filter((c) => c.leaks.length).map((c) => c.id),
      })),
    });
    for (const run of list) {
      const answered = run.cases.filter((c) => !c.error);
      if (run.cases.length > 0 && answered.length === 0) {
        ctx.unknown(`${run.name}: no case got a reply (${run.cases[0]!.error ?? 'no reply'})`);
      }
      for (const c of run.cases) {
        for (const leak of c.leaks) {
          ctx.report({
            code: leak.kind,
            args: { assistant: run.name, label: leak.label, caseId: c.id, caseTitle: c.title, category: c.category, evidence: leak.evidence },
            location: { url: run.url, record: `${run.name} › ${c.id}` },
            evidence: leak.evidence,
            identity: `${run.name}|${c.id}|${leak.kind}|${leak.label}`,
          });
        }
      }
      const failed = run.cases.filter((c) => c.error);
      if (failed.length && answered.length) {
        ctx.report({
          code: 'unanswered',
          args: { assistant: run.name, count: failed.length, total: run.cases.length, cases: failed.map((c) => c.id), reason: failed[0]!.error! },
          location: { url: run.url, record: run.name },
        });
      }
    }
  },
});

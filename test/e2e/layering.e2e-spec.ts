import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The lint rule that keeps ARCHITECTURE.md's arrows pointing one way, run through the project's
 * own ESLint configuration on files that do not exist (ESLint lints the text as if it sat at the
 * given path), in one child process.
 */
const ROOT = join(__dirname, '..', '..');

interface Case { file: string; code: string }

function layeringMessages(cases: Case[]): string[][] {
  const script = `
    const { ESLint } = require('eslint');
    const cases = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
    (async () => {
      const eslint = new ESLint({ cwd: process.cwd() });
      const out = [];
      for (const c of cases) {
        const [result] = await eslint.lintText(c.code, { filePath: c.file });
        out.push(result.messages.filter((m) => m.ruleId === 'paymux/layering').map((m) => m.message));
      }
      process.stdout.write(JSON.stringify(out));
    })().catch((e) => { console.error(e); process.exit(1); });`;
  const output = execFileSync(process.execPath, ['-e', script], { cwd: ROOT, input: JSON.stringify(cases), encoding: 'utf8' });
  return JSON.parse(output) as string[][];
}

describe('the layering lint rule', () => {
  it('refuses the imports that point the wrong way and lets the right ones through', () => {
    const use = (what: string) => `import { x } from '${what}';\nexport const y = x;\n`;
    const cases: Array<Case & { refused: RegExp | null }> = [
      { file: 'src/sessions/new-thing.ts', code: use('../admin/admin-panel'), refused: /nothing outside src\/admin imports from it/ },
      { file: 'src/jobs/new-thing.ts', code: use('../providers/spayon/spayon.provider'), refused: /the core knows no provider/ },
      { file: 'src/webhooks/new-thing.ts', code: use('@paymux/komoju'), refused: /the core knows no provider/ },
      { file: 'libs/payments/src/new-thing.ts', code: use('@paymux/spayon'), refused: /libs\/payments knows no other paymux library/ },
      { file: 'libs/payments/src/new-thing.ts', code: use('@nestjs/common'), refused: /imports neither Nest nor MikroORM/ },
      { file: 'libs/komoju/src/new-thing.ts', code: use('../../../src/sessions/session.entity'), refused: /a library imports nothing from src/ },
      { file: 'libs/komoju/src/new-thing.ts', code: use('@paymux/smart-glocal'), refused: /another provider's library/ },
      { file: 'src/providers/komoju/new-thing.ts', code: use('../spayon/mapping'), refused: /does not import another provider module/ },
      // the right way round
      { file: 'src/admin/new-thing.ts', code: use('../sessions/sessions.service'), refused: null },
      { file: 'src/providers/komoju/new-thing.ts', code: use('@paymux/komoju'), refused: null },
      { file: 'src/providers/komoju/new-thing.ts', code: use('../simulated-or-real'), refused: null },
      { file: 'src/sessions/new-thing.ts', code: use('@paymux/payments'), refused: null },
      { file: 'libs/komoju/src/new-thing.ts', code: use('@paymux/simulator-kit'), refused: null },
      { file: 'src/app.module.ts', code: use('./admin/admin.module'), refused: null },
    ];
    const messages = layeringMessages(cases);
    cases.forEach((c, i) => {
      if (c.refused) {
        expect({ file: c.file, messages: messages[i] }).toEqual({ file: c.file, messages: [expect.stringMatching(c.refused)] });
      } else {
        expect({ file: c.file, messages: messages[i] }).toEqual({ file: c.file, messages: [] });
      }
    });
  });
});

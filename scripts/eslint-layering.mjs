// The layering of ARCHITECTURE.md as a lint rule, so the arrows keep pointing one way:
//
// - libs/* import nothing from src/;
// - libs/payments (the facade contract) knows no provider, no other paymux library, and neither
//   Nest nor MikroORM;
// - a provider's library does not import another provider's library;
// - the core (every folder of src/ but providers/ and admin/) knows no provider: it reaches them
//   through the registry of libs/payments, never by importing src/providers/<p> or a provider's
//   library;
// - src/providers/<p> does not import src/providers/<q>;
// - nothing outside src/admin imports from it: the panel calls the domain, never the reverse.
//
// The composition roots (the application module, its factory, main, the CLIs and the entity list)
// wire everything together and may import anything.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
/** Libraries that are not a provider's: the facade contract and the shared tooling. */
const SHARED_LIBS = new Set(['payments', 'simulator-kit', 'webhook-signature']);
const COMPOSITION_ROOTS = ['src/app.module.ts', 'src/app.factory.ts', 'src/main.ts', 'src/database/entities.ts', 'src/cli/'];

/** Where a repository-relative path sits: { area: 'lib' | 'src' | 'other', name }. */
function place(relative) {
  const parts = relative.split('/');
  if (parts[0] === 'libs' && parts.length > 1) return { area: 'lib', name: parts[1] };
  if (parts[0] === 'src' && parts.length > 1) {
    if (parts[1] === 'providers' && parts.length > 3) return { area: 'src', name: 'providers', provider: parts[2] };
    return { area: 'src', name: parts.length > 2 ? parts[1] : '' };
  }
  return { area: 'other', name: parts[0] };
}

/** The repository-relative path an import points at, or null for a package outside the repository. */
function target(fromFile, specifier) {
  if (specifier.startsWith('.')) return path.relative(ROOT, path.resolve(path.dirname(fromFile), specifier)).split(path.sep).join('/');
  const alias = /^@paymux\/([^/]+)/.exec(specifier);
  if (alias) return `libs/${alias[1]}/src`;
  return null;
}

function problem(file, specifier) {
  const from = place(file);
  const to = target(path.join(ROOT, file), specifier);
  if (COMPOSITION_ROOTS.some((root) => file === root || (root.endsWith('/') && file.startsWith(root)))) return null;
  if (from.area === 'lib') {
    if (to === null) {
      if (from.name === 'payments' && /^(@nestjs|@mikro-orm)\//.test(specifier)) return 'libs/payments imports neither Nest nor MikroORM';
      return null;
    }
    const into = place(to);
    if (into.area === 'src') return 'a library imports nothing from src/';
    if (into.area === 'lib' && into.name !== from.name) {
      if (from.name === 'payments') return 'libs/payments knows no other paymux library';
      if (!SHARED_LIBS.has(from.name) && !SHARED_LIBS.has(into.name)) return "a provider's library does not import another provider's library";
    }
    return null;
  }
  if (from.area !== 'src' || to === null) return null;
  const into = place(to);
  if (into.area === 'src' && into.name === 'admin' && from.name !== 'admin') return 'nothing outside src/admin imports from it: the panel calls the domain, never the reverse';
  if (from.name === 'providers') {
    if (from.provider && into.name === 'providers' && into.provider && into.provider !== from.provider) return 'a provider module does not import another provider module';
    return null;
  }
  if (from.name === 'admin' || from.name === '') return null;
  if ((into.area === 'src' && into.name === 'providers' && into.provider) || (into.area === 'lib' && !SHARED_LIBS.has(into.name))) {
    return 'the core knows no provider: reach providers through the registry of libs/payments';
  }
  return null;
}

export const layering = {
  meta: { type: 'problem', docs: { description: "The one-way arrows of ARCHITECTURE.md" }, schema: [] },
  create(context) {
    const file = path.relative(ROOT, context.filename).split(path.sep).join('/');
    const check = (node) => {
      const specifier = node.source && node.source.value;
      if (typeof specifier !== 'string') return;
      const message = problem(file, specifier);
      if (message) context.report({ node: node.source, message: `${message} (${specifier})` });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};


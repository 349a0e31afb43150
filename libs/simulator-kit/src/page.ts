/** Minimal HTML for simulators' hosted pages: escaped text, one layout. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function htmlPage(title: string, bodyHtml: string): { status: number; headers: Record<string, string>; body: string } {
  return {
    status: 200,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}
button{font-size:1rem;padding:.5rem 1rem;margin:.25rem}.banner{background:#fde68a;padding:.5rem;border-radius:4px}</style>
</head><body><p class="banner">Simulator: no real money moves here.</p>${bodyHtml}</body></html>`,
  };
}

export function redirect(location: string): { status: number; headers: Record<string, string> } {
  return { status: 303, headers: { location } };
}

/** Plain pages paymux itself shows buyers (the return relay's errors, Smart Glocal's pay page); escapeHtml serves the panel's own pages too. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const BUYER_PAGE_STYLE = `body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#111827}
.merchant{color:#4b5563;margin:0}.amount{font-size:1.75rem;font-weight:600;margin:.25rem 0}
.description{margin:0 0 1rem}.outcome{padding:.75rem;border-radius:6px;background:#fee2e2;color:#991b1b}
.outcome.ok{background:#dcfce7;color:#166534}a.button{display:inline-block;padding:.5rem 1rem;border:1px solid #9ca3af;border-radius:6px;color:inherit;text-decoration:none}`;

/** A whole page: `bodyHtml` must already be escaped. */
export function buyerPage(title: string, bodyHtml: string, head = '', lang = 'en'): string {
  return `<!doctype html>
<html lang="${escapeHtml(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
${head}
<title>${escapeHtml(title)}</title>
<style>${BUYER_PAGE_STYLE}</style>
</head>
<body>
<main>
${bodyHtml}
</main>
</body>
</html>
`;
}

/** What a buyer sees for a link paymux cannot follow: no address to go on to, only words. */
export function buyerErrorPage(heading: string, text: string): string {
  return buyerPage('Payment', `<h1>${escapeHtml(heading)}</h1><p>${escapeHtml(text)}</p>`);
}

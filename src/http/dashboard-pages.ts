import { createHash } from 'node:crypto'
import { DASHBOARD_ASSETS } from './dashboard-assets.generated.js'

/** What every dashboard response carries: nothing but its own scripts, styles and connections. */
export const DASHBOARD_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  // same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on the login form's POST.
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
}

/** A short hash of the assets, so a new version is never served from a browser's cache. */
export const ASSETS_VERSION = createHash('sha256')
  .update(Object.values(DASHBOARD_ASSETS).join('\n'))
  .digest('hex')
  .slice(0, 12)

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/dashboard/assets/style.css?v=${ASSETS_VERSION}">
</head>
<body>
${body}
</body>
</html>
`
}

/** The single page: the script draws every view into <main> and keeps it live. */
export function dashboardPage(hasLogin: boolean): string {
  const logout = hasLogin
    ? '<form class="logout" method="post" action="/dashboard/logout"><button type="submit">Log out</button></form>'
    : ''
  return page(
    'SmartSplit dashboard',
    `<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <span class="brand">SmartSplit</span>
  <nav aria-label="Dashboard pages">
    <a href="#/overview">Overview</a>
    <a href="#/providers">Providers</a>
    <a href="#/routing">Routing</a>
    <a href="#/requests">Requests</a>
    <a href="#/playground">Playground</a>
  </nav>
  <span id="live" class="live" role="status" aria-live="polite">connecting…</span>
  ${logout}
</header>
<div id="config-error" class="banner" role="alert" hidden></div>
<main id="main" tabindex="-1"><p>Loading…</p></main>
<noscript><p>The dashboard needs JavaScript. GET /health and /metrics give the same figures as JSON.</p></noscript>
<script type="module" src="/dashboard/assets/app.js?v=${ASSETS_VERSION}"></script>`,
  )
}

/** The login form, shown for every dashboard page while the browser has no session. */
export function loginPage(problem: string | null): string {
  const error = problem === null ? '' : `<p class="error" role="alert">${escapeHtml(problem)}</p>`
  return page(
    'SmartSplit: log in',
    `<main class="login">
  <h1>SmartSplit</h1>
  <p>This SmartSplit needs an access key (SMARTSPLIT_API_KEY or server.api_keys) to show its dashboard.</p>
  ${error}
  <form method="post" action="/dashboard/login">
    <label for="key">Access key</label>
    <input id="key" name="key" type="password" autocomplete="current-password" required autofocus>
    <button type="submit">Log in</button>
  </form>
</main>`,
  )
}

import { html } from './html.js';
import { layout } from './layout.js';

/** The login form; `csrf` is the value of the login CSRF cookie, sent back with the form. */
export function renderLogin(opts: { error: string | null; next: string; csrf: string }): string {
  return layout({
    title: 'Log in',
    login: null,
    body: html`<section><h2>Log in</h2>
${opts.error ? html`<p class="st-failed">${opts.error}</p>` : ''}
<form method="post" action="/login"><input type="hidden" name="next" value="${opts.next}"><input type="hidden" name="_csrf" value="${opts.csrf}">
<label>Token <input type="password" name="token" autocomplete="current-password" required autofocus></label> <button>Log in</button></form>
<p class="muted">Use your dashboard token (apps.dashboard.token or apps.dashboard.users).</p></section>`,
  });
}

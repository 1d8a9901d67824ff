import { Html, html } from './html.js';

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}
header{background:#1d2330;color:#fff;padding:10px 20px;display:flex;gap:20px;align-items:center}
header a{color:#cfe3ff;text-decoration:none}header .who{margin-left:auto}
main{padding:16px 20px;max-width:1200px}section{background:#fff;border:1px solid #dde1e8;border-radius:6px;padding:12px 16px;margin-bottom:14px}
h1{font-size:18px;margin:0}h2{font-size:15px;margin:0 0 8px}table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:4px 8px;border-bottom:1px solid #eef0f4;vertical-align:top}
code{font:12px ui-monospace,monospace;background:#eef0f4;padding:1px 4px;border-radius:3px}
.st-succeeded{color:#137333}.st-failed{color:#b3261e}.st-running{color:#0b57d0}.st-cancelled,.st-skipped{color:#6b7280}
.bar{height:14px;background:#dbe7ff;border-radius:3px;display:flex;overflow:hidden;min-width:4px}.bar span{display:block;height:100%}
.seg-succeeded{background:#7cc48c}.seg-failed{background:#e57373}.seg-skipped,.seg-cancelled{background:#c9ccd3}.seg-running{background:#7aa7f5}
form.inline{display:inline}button{font:inherit;padding:4px 10px;border-radius:4px;border:1px solid #8aa;background:#fff;cursor:pointer}
.tree,.tree ul{list-style:none;margin:0;padding-left:0}.tree ul{margin:4px 0 4px 6px;padding-left:14px;border-left:2px solid #dde1e8}.tree li{margin:3px 0}
.muted{color:#6b7280}.grid{display:grid;grid-template-columns:1fr 1fr;gap:14px}.notice{background:#fff8e1;border-color:#f0d58c}
`;

/** The page around every view: navigation, who is logged in, the live-update script. */
export function layout(opts: { title: string; login: string | null; csrf?: string; body: Html; live?: boolean }): string {
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${opts.title} · Stagecraft</title><style>${new Html(STYLE)}</style></head><body>
<header><h1>Stagecraft</h1><a href="/">Cycles</a><a href="/queues">Queues</a>${
    opts.login
      ? html`<span class="who">${opts.login} <form class="inline" method="post" action="/logout"><input type="hidden" name="_csrf" value="${opts.csrf ?? ''}"><button>Log out</button></form></span>`
      : ''
  }</header>
<main id="view">${opts.body}</main>
${opts.live ? new Html(LIVE_SCRIPT) : ''}
</body></html>`.text;
}

// Server-sent events say that something changed; the view is fetched again and swapped in place.
const LIVE_SCRIPT = `<script>
(function(){
  var pending=false;
  function refresh(){ if(pending) return; pending=true;
    fetch(location.pathname+(location.search?location.search+'&':'?')+'fragment=1',{credentials:'same-origin'})
      .then(function(r){return r.ok?r.text():null}).then(function(t){ if(t!==null){document.getElementById('view').innerHTML=t;} })
      .finally(function(){pending=false;}); }
  var es=new EventSource('/events'); es.onmessage=function(){ refresh(); };
  setInterval(refresh, 5000);
})();
</script>`;

import { type Messages, fill } from './messages/index.js';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON safe inside a <script type="application/json"> block. */
function jsonBlock(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

function head(m: Messages, title: string): string {
  return `<!doctype html>
<html lang="${escapeHtml(m.htmlLang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/assets/diary.css">`;
}

/**
 * The patient's diary page and the plain "link ended" pages, rendered on the server in the invite's
 * language. Every text is HTML-escaped; the client script reads its strings from a JSON data block
 * (not executed, so the strict Content-Security-Policy allows no inline script at all).
 */
export function diaryPageHtml(m: Messages): string {
  const e = escapeHtml;
  const nrsButtons = Array.from({ length: 11 }, (_, n) => {
    const anchor = n === 0 ? `, ${m.nrsLow}` : n === 10 ? `, ${m.nrsHigh}` : '';
    return `<button type="button" class="nrs" data-nrs="${n}" aria-pressed="false" aria-label="${e(fill(m.nrsButton, { n }) + anchor)}">${n}</button>`;
  }).join('');
  const options = [
    '<option value="">–</option>',
    ...Array.from({ length: 11 }, (_, n) => `<option value="${n}">${n}</option>`),
  ].join('');
  const pdiRows = m.pdiDomains
    .map(
      (d, i) =>
        `<div class="pdi-row"><label for="pdi-${i}">${e(d)}</label><select id="pdi-${i}" data-pdi="${i}">${options}</select></div>`,
    )
    .join('');
  return `${head(m, m.title)}
<script src="/assets/diary.js" defer></script>
</head>
<body>
<main>
<h1>${e(m.title)}</h1>
<p>${e(m.intro)}</p>
<p id="offline" class="banner" role="status" hidden>${e(m.offline)}</p>
<form id="entry" novalidate>
<fieldset>
<legend id="nrs-legend">${e(m.nrsLegend)}</legend>
<p class="hint" id="nrs-hint">${e(m.nrsHint)}</p>
<div class="nrs-grid" role="group" aria-labelledby="nrs-legend" aria-describedby="nrs-hint">${nrsButtons}</div>
<div class="anchors" aria-hidden="true"><span>0 = ${e(m.nrsLow)}</span><span>10 = ${e(m.nrsHigh)}</span></div>
</fieldset>
<fieldset id="pdi">
<legend>${e(m.pdiLegend)}</legend>
<p class="hint">${e(m.pdiHint)}</p>
<p id="pdi-done" hidden>${e(m.pdiDone)}</p>
<div id="pdi-fields">${pdiRows}
<p class="total" id="pdi-total" aria-live="polite">${e(fill(m.pdiTotal, { n: 0 }))}</p></div>
</fieldset>
<fieldset>
<legend>${e(m.activityLegend)}</legend>
<label class="choice"><input type="radio" name="activity" value="improved"> ${e(m.activityYes)}</label>
<label class="choice"><input type="radio" name="activity" value="not-improved"> ${e(m.activityNo)}</label>
<label class="choice"><input type="radio" name="activity" value="" checked> ${e(m.activityUnsure)}</label>
</fieldset>
<fieldset>
<legend>${e(m.whenLegend)}</legend>
<label class="choice"><input type="radio" name="when" value="now" checked> ${e(m.whenNow)}</label>
<label class="choice"><input type="radio" name="when" value="earlier"> ${e(m.whenEarlier)}</label>
<p><label for="when-at">${e(m.whenPick)}</label><br><input type="datetime-local" id="when-at" disabled></p>
</fieldset>
<p><label for="note">${e(m.noteLabel)}</label><br><textarea id="note" maxlength="2000"></textarea></p>
<p id="message" class="message" role="status" aria-live="polite"></p>
<button type="submit" class="send">${e(m.send)}</button>
</form>
<h2>${e(m.sentList)}</h2>
<ul id="sent" aria-live="polite"><li>${e(m.sentNone)}</li></ul>
</main>
<script type="application/json" id="messages">${jsonBlock(m)}</script>
</body>
</html>
`;
}

/** A page with no script: why the link no longer opens the diary, and to call the clinic. */
export function plainPageHtml(m: Messages, body: string): string {
  return `${head(m, m.linkEndedTitle)}
</head>
<body>
<main>
<h1>${escapeHtml(m.linkEndedTitle)}</h1>
<p>${escapeHtml(body)}</p>
</main>
</body>
</html>
`;
}

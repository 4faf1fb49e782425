import QRCode from 'qrcode';
import { type Messages, fill } from './messages/index.js';
import { escapeHtml } from './page-html.js';

/**
 * The printable enrolment card (`scs diary invite --out card.html`): the QR code as inline SVG, the
 * plain steps in the invite's language and the expiry date. Self-contained: no script, no network.
 * The card holds the secret link: it is written 0600 and should be handed over, not left lying around.
 */
export async function inviteCardHtml(m: Messages, link: string, expiresText: string): Promise<string> {
  const svg = await QRCode.toString(link, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  const e = escapeHtml;
  return `<!doctype html>
<html lang="${e(m.htmlLang)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="referrer" content="no-referrer">
<title>${e(m.cardTitle)}</title>
<style>
body{font-family:system-ui,sans-serif;color:#111;max-width:40rem;margin:2rem auto;padding:0 1rem;font-size:14pt;line-height:1.5}
.qr{width:8cm;height:8cm;margin:1rem 0}
.qr svg{width:100%;height:100%}
ol li{margin:.4rem 0}
.link{font-family:monospace;font-size:9pt;word-break:break-all;color:#333}
@media print{body{margin:0}}
</style>
</head>
<body>
<h1>${e(m.cardTitle)}</h1>
<div class="qr" role="img" aria-label="QR code">${svg}</div>
<ol>${m.cardSteps.map((s) => `<li>${e(s)}</li>`).join('')}</ol>
<p><strong>${e(fill(m.cardExpires, { date: expiresText }))}</strong></p>
<p class="link">${e(link)}</p>
</body>
</html>
`;
}

/** The QR code drawn with block characters for the terminal. */
export function terminalQr(link: string): Promise<string> {
  return QRCode.toString(link, { type: 'terminal', small: true, errorCorrectionLevel: 'M' });
}

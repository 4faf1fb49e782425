/**
 * The diary page's stylesheet, served from the companion itself (no third-party requests). Phone
 * first: one column from 320 px, touch targets of at least 48 px, text contrast above WCAG AA.
 */
export const PAGE_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC","PingFang SC",sans-serif;font-size:18px;line-height:1.45;color:#1a1a1a;background:#fff}
body{margin:0}
main{max-width:36rem;margin:0 auto;padding:1rem .75rem 3rem}
h1{font-size:1.5rem;margin:.25rem 0 .5rem}
h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
p{margin:.25rem 0 .75rem}
fieldset{border:1px solid #6b6b6b;border-radius:.5rem;margin:0 0 1rem;padding:.5rem .75rem .75rem;min-width:0}
legend{font-weight:700;padding:0 .25rem}
.hint{color:#404040;font-size:.9rem}
.nrs-grid{display:grid;grid-template-columns:repeat(6,1fr);gap:.4rem}
.nrs-grid button{min-width:0;min-height:3.1rem;font-size:1.25rem}
.anchors{display:flex;justify-content:space-between;gap:1rem;font-size:.9rem;color:#404040;margin-top:.35rem}
.anchors span:last-child{text-align:right}
button{font:inherit;min-height:3rem;min-width:3rem;border-radius:.5rem;border:2px solid #0b4f8a;background:#fff;color:#0b4f8a;cursor:pointer}
button[aria-pressed="true"]{background:#0b4f8a;color:#fff;font-weight:700}
button:focus-visible,select:focus-visible,textarea:focus-visible,input:focus-visible{outline:3px solid #b35900;outline-offset:2px}
.send{display:block;width:100%;background:#0b4f8a;color:#fff;font-weight:700;font-size:1.15rem;min-height:3.5rem;margin-top:.5rem}
.pdi-row{display:flex;align-items:center;justify-content:space-between;gap:.75rem;padding:.3rem 0;border-bottom:1px solid #ddd}
.pdi-row label{flex:1}
select,textarea,input[type="datetime-local"]{font:inherit;color:#1a1a1a;background:#fff;border:2px solid #6b6b6b;border-radius:.4rem;min-height:3rem}
select{min-width:4.5rem}
textarea{width:100%;min-height:5rem;padding:.4rem}
.choice{display:flex;align-items:center;gap:.6rem;min-height:3rem}
.choice input{width:1.5rem;height:1.5rem;margin:0}
.total{font-weight:700;margin-top:.5rem}
.banner{border-radius:.5rem;padding:.6rem .75rem;background:#fff4d6;border:2px solid #8a5a00;color:#1a1a1a}
.message{min-height:1.5rem;font-weight:700}
.message.error{color:#a11212}
#sent{list-style:none;padding:0;margin:0}
#sent li{border-bottom:1px solid #ddd;padding:.5rem 0}
#sent .meta{display:block;color:#404040;font-size:.9rem}
.late{display:inline-block;border:1px solid #8a5a00;color:#6b4500;border-radius:.3rem;padding:0 .3rem;font-size:.85rem;margin-left:.3rem}
[hidden]{display:none!important}
`;

/**
 * The diary page's script (plain browser JavaScript, served as /assets/diary.js). Every entry gets a
 * UUID made on the phone and goes into a queue in localStorage first; the queue is sent in order and
 * an entry leaves it only when the server answered (2xx stored, 4xx refused). A lost answer means the
 * same UUID is sent again, and the server stores it once. Written without template literals so it can
 * live in this TypeScript string (the bundled `scs` has no asset files to find).
 */
export const PAGE_SCRIPT = String.raw`
'use strict';
(function () {
  var M = JSON.parse(document.getElementById('messages').textContent);
  var QUEUE_KEY = 'scs-diary-queue';
  var form = document.getElementById('entry');
  var message = document.getElementById('message');
  var sentList = document.getElementById('sent');
  var offlineBanner = document.getElementById('offline');
  var whenAt = document.getElementById('when-at');
  var nrsButtons = Array.prototype.slice.call(document.querySelectorAll('button.nrs'));
  var pdiSelects = Array.prototype.slice.call(document.querySelectorAll('select[data-pdi]'));
  var nrs = null;
  var sending = false;
  var refused = [];
  var lastList = [];
  var ended = false;

  function fill(t, v) { return t.replace(/\{(\w+)\}/g, function (m, k) { return k in v ? String(v[k]) : m; }); }
  function pad(n) { return (n < 10 ? '0' : '') + n; }
  // ISO 8601 with the phone's own UTC offset, as the diary requires; milliseconds, so two quick
  // entries are not "a second NRS at the same instant".
  function isoLocal(d) {
    var off = -d.getTimezoneOffset();
    var sign = off < 0 ? '-' : '+';
    var a = Math.abs(off);
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + 'T' + pad(d.getHours()) + ':' +
      pad(d.getMinutes()) + ':' + pad(d.getSeconds()) + '.' + String(d.getMilliseconds() + 1000).slice(1) + sign + pad(Math.floor(a / 60)) + ':' + pad(a % 60);
  }
  function inputValue(d) { return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + 'T' + pad(d.getHours()) + ':' + pad(d.getMinutes()); }
  function shortTime(text) { var d = new Date(text); return isNaN(d) ? text : d.toLocaleString(M.htmlLang, { dateStyle: 'short', timeStyle: 'short' }); }
  // crypto.randomUUID exists only in secure contexts; getRandomValues everywhere.
  function uuid() {
    if (window.crypto.randomUUID) return window.crypto.randomUUID();
    var b = window.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }
  function loadQueue() { try { return JSON.parse(localStorage.getItem(QUEUE_KEY) || '[]'); } catch (e) { return []; } }
  function saveQueue(q) { localStorage.setItem(QUEUE_KEY, JSON.stringify(q)); }

  // Notices the server gave with a stored entry (e.g. outside the trial dates), by entry id.
  var notices = {};
  function say(text, isError) { message.textContent = text; message.className = 'message' + (isError ? ' error' : ''); }

  function describe(e) {
    var parts = [];
    if (e.nrs !== null && e.nrs !== undefined) parts.push(fill(M.nrsShort, { n: e.nrs }));
    var pdi = e.pdi !== undefined ? e.pdi : e.pdiDomains ? e.pdiDomains.reduce(function (a, b) { return a + b; }, 0) : null;
    if (pdi !== null && pdi !== undefined) parts.push(fill(M.pdiShort, { n: pdi }));
    if (e.activity === 'improved') parts.push(M.activityShortYes);
    if (e.activity === 'not-improved') parts.push(M.activityShortNo);
    return parts.join(', ');
  }

  function render() {
    var items = [];
    loadQueue().forEach(function (q) { items.push({ text: describe(q), at: q.at, status: M.statusQueued, late: false, queued: true }); });
    refused.forEach(function (r) { items.push({ text: describe(r.body), at: r.body.at, status: fill(M.statusRefused, { reason: r.reason }), late: false }); });
    lastList.slice().reverse().forEach(function (e) { items.push({ text: describe(e), at: e.timestamp, status: fill(M.statusSent, { sent: shortTime(e.recorded) }), late: e.late, outside: e.outsideTrial }); });
    sentList.textContent = '';
    if (!items.length) { var none = document.createElement('li'); none.textContent = M.sentNone; sentList.appendChild(none); return; }
    items.forEach(function (it) {
      var li = document.createElement('li');
      if (it.queued) li.setAttribute('data-queued', 'true');
      li.appendChild(document.createTextNode(it.text));
      if (it.late) { var l = document.createElement('span'); l.className = 'late'; l.textContent = M.late; li.appendChild(l); }
      if (it.outside) { var o = document.createElement('span'); o.className = 'late outside-trial'; o.textContent = M.outsideTrial; li.appendChild(o); }
      var meta = document.createElement('span'); meta.className = 'meta';
      meta.textContent = fill(M.describes, { at: shortTime(it.at) }) + ' · ' + it.status;
      li.appendChild(meta);
      sentList.appendChild(li);
    });
  }

  function linkEnded() {
    ended = true;
    document.body.textContent = '';
    var main = document.createElement('main');
    var h = document.createElement('h1'); h.textContent = M.linkEndedTitle;
    var p = document.createElement('p'); p.textContent = M.linkEndedBody;
    main.appendChild(h); main.appendChild(p); document.body.appendChild(main);
  }

  function refresh() {
    return fetch('/api/entries', { credentials: 'same-origin', cache: 'no-store' }).then(function (r) {
      if (r.status === 401 || r.status === 410) { linkEnded(); return; }
      if (!r.ok) return;
      return r.json().then(function (data) {
        lastList = data.entries;
        // The PDI is asked once a day: hide it once today's (the phone's today) has arrived.
        var today = new Date().toDateString();
        var pdiToday = lastList.some(function (e) { return e.pdi !== null && new Date(e.timestamp).toDateString() === today; });
        document.getElementById('pdi-done').hidden = !pdiToday;
        document.getElementById('pdi-fields').hidden = pdiToday;
        render();
      });
    }).catch(function () { /* offline: keep what is shown */ });
  }

  // Sends the queue in order; stops at the first entry without an answer and tries again later.
  function flush() {
    if (sending || ended) return Promise.resolve();
    var q = loadQueue();
    if (!q.length) return refresh();
    sending = true;
    var body = q[0];
    return fetch('/api/entries', { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      .then(function (r) {
        if (r.status === 401 || r.status === 410) { linkEnded(); return false; }
        if (r.status === 429 || r.status >= 500) return false;
        return r.json().catch(function () { return {}; }).then(function (answer) {
          if (!r.ok) refused.push({ body: body, reason: answer.error || String(r.status) });
          if (r.ok && answer.notice) notices[body.id] = answer.notice;
          saveQueue(loadQueue().filter(function (x) { return x.id !== body.id; }));
          return true;
        });
      }, function () { return false; })
      .then(function (more) {
        sending = false;
        render();
        return more ? flush() : undefined;
      });
  }

  nrsButtons.forEach(function (b) {
    b.addEventListener('click', function () {
      var v = Number(b.getAttribute('data-nrs'));
      nrs = nrs === v ? null : v;
      nrsButtons.forEach(function (o) { o.setAttribute('aria-pressed', String(Number(o.getAttribute('data-nrs')) === nrs)); });
    });
  });
  function pdiTotal() {
    var total = 0;
    pdiSelects.forEach(function (s) { if (s.value !== '') total += Number(s.value); });
    document.getElementById('pdi-total').textContent = fill(M.pdiTotal, { n: total });
  }
  pdiSelects.forEach(function (s) { s.addEventListener('change', pdiTotal); });
  Array.prototype.forEach.call(document.querySelectorAll('input[name="when"]'), function (r) {
    r.addEventListener('change', function () {
      var earlier = document.querySelector('input[name="when"]:checked').value === 'earlier';
      whenAt.disabled = !earlier;
      if (earlier) {
        var now = new Date();
        whenAt.max = inputValue(now);
        whenAt.min = inputValue(new Date(now.getTime() - 24 * 3600000));
        if (!whenAt.value) whenAt.value = inputValue(now);
        whenAt.focus();
      }
    });
  });

  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var made = new Date();
    var at = made;
    if (document.querySelector('input[name="when"]:checked').value === 'earlier') {
      at = new Date(whenAt.value);
      if (isNaN(at) || at.getTime() > made.getTime() || at.getTime() < made.getTime() - 24 * 3600000) { say(M.whenOutOfRange, true); whenAt.focus(); return; }
    }
    var answered = pdiSelects.filter(function (s) { return s.value !== ''; });
    var activity = document.querySelector('input[name="activity"]:checked').value;
    var note = document.getElementById('note').value.trim();
    if (nrs === null && answered.length === 0 && !activity) { say(M.needsAnswer, true); return; }
    if (answered.length > 0 && answered.length < pdiSelects.length) { say(M.needsAnswer, true); pdiSelects.filter(function (s) { return s.value === ''; })[0].focus(); return; }
    var body = {
      id: uuid(),
      at: isoLocal(at),
      madeAt: isoLocal(made),
      nrs: nrs,
      pdiDomains: answered.length ? pdiSelects.map(function (s) { return Number(s.value); }) : null,
      activity: activity || null,
      note: note || null,
    };
    var q = loadQueue(); q.push(body); saveQueue(q);
    form.reset();
    nrs = null;
    nrsButtons.forEach(function (o) { o.setAttribute('aria-pressed', 'false'); });
    whenAt.disabled = true;
    pdiTotal();
    render();
    say('', false);
    flush().then(function () {
      if (loadQueue().some(function (x) { return x.id === body.id; })) say(M.savedOffline, false);
      else if (refused.some(function (r) { return r.body.id === body.id; })) say(fill(M.statusRefused, { reason: refused[refused.length - 1].reason }), true);
      else say(notices[body.id] ? M.sentOk + ' ' + notices[body.id] : M.sentOk, false);
    });
  });

  function onlineState() { offlineBanner.hidden = navigator.onLine; if (navigator.onLine) flush(); }
  window.addEventListener('online', onlineState);
  window.addEventListener('offline', onlineState);
  setInterval(function () { if (loadQueue().length) flush(); }, 10000);
  onlineState();
  render();
  flush();
})();
`;

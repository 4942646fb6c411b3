// The audit log: who did what, and whether it was allowed. Read once on
// load (it is a record, not a live view); the outcome filter is local.
'use strict';

(() => {
  const { t, api, el, fmtDateTime, fmtNumber } = window.Mitra;
  Mitra.init();

  const select = document.getElementById('f-outcome');
  const body = document.querySelector('#audit tbody');
  const errorBox = document.getElementById('audit-error');

  let entries = null;
  let outcome = new URLSearchParams(location.search).get('outcome') || '';

  const outcomeLabel = (o) => {
    const key = `outcome.${o}`;
    return t(key) === key ? String(o) : t(key);
  };

  function fillSelect() {
    const outcomes = [...new Set([...(entries || []).map((e) => e.outcome), outcome].filter(Boolean))].sort();
    select.replaceChildren(el('option', { value: '' }, t('common.all')), ...outcomes.map((o) => el('option', { value: o }, outcomeLabel(o))));
    select.value = outcome;
  }

  function render() {
    fillSelect();
    if (!entries) return;
    const shown = entries.filter((e) => !outcome || e.outcome === outcome);
    const known = ['ok', 'denied', 'refused', 'error'];
    body.replaceChildren(
      ...shown.map((e) =>
        el(
          'tr',
          { dataset: { outcome: e.outcome ?? '' } },
          el('td', { className: 'nowrap' }, fmtDateTime(e.at_ms)),
          el('td', null, e.actor || t('common.none')),
          el('td', null, e.action || t('common.none')),
          el('td', null, e.plugin_id || t('common.none')),
          el('td', null, e.version || t('common.none')),
          el('td', null, el('span', { className: `badge outcome-${known.includes(e.outcome) ? e.outcome : 'other'}` }, outcomeLabel(e.outcome))),
          el('td', { className: 'wrap' }, e.detail || t('common.none')),
        ),
      ),
    );
    document.getElementById('audit-empty').hidden = shown.length > 0;
    document.getElementById('audit-count').textContent = t('audit.count', { n: fmtNumber(shown.length) });
    document.body.dataset.ready = '1';
  }

  select.addEventListener('change', () => {
    outcome = select.value;
    const q = outcome ? `?${new URLSearchParams({ outcome })}` : location.pathname;
    history.replaceState(null, '', q);
    render();
  });

  async function load() {
    try {
      const data = await api('GET', '/admin/audit?limit=200');
      const list = Array.isArray(data) ? data : (data && (data.entries || data.audit)) || [];
      // The server sends newest first already; sorting keeps that true
      // whatever order it uses (stable for equal times).
      entries = [...list].sort((a, b) => (b.at_ms || 0) - (a.at_ms || 0));
      errorBox.textContent = '';
      render();
    } catch (e) {
      if (e.status !== 401) errorBox.textContent = e.message;
    }
  }

  Mitra.header().catch((e) => e.status !== 401 && (errorBox.textContent = e.message));
  Mitra.onLang(render);
  render();
  load();
})();

// The audit log: who did what, and whether it was allowed. Read once on
// load (it is a record, not a live view); the outcome filter is local.
'use strict';

(() => {
  const { t, api, el, fmtDateTime } = window.Mitra;
  Mitra.init();

  const select = document.getElementById('f-outcome');
  const showError = Mitra.errorBox('audit-error');
  // Only the outcome, kept in the URL; choosing one redraws, nothing is asked.
  const f = Mitra.filters(['outcome'], { outcome: select });
  const filters = f.values;

  let entries = null;

  const outcomeLabel = (o) => {
    const key = `outcome.${o}`;
    return t(key) === key ? String(o) : t(key);
  };

  function fillSelect() {
    const outcomes = [...new Set([...(entries || []).map((e) => e.outcome), filters.outcome].filter(Boolean))].sort();
    Mitra.fillSelect(select, t('common.all'), outcomes.map((o) => [o, outcomeLabel(o)]), filters.outcome);
  }

  function render() {
    fillSelect();
    if (!entries) return;
    const shown = entries.filter((e) => !filters.outcome || e.outcome === filters.outcome);
    const known = ['ok', 'denied', 'refused', 'error'];
    Mitra.table(
      'audit',
      shown,
      (e) =>
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
      'audit.count',
    );
    document.body.dataset.ready = '1';
  }

  f.onChange(render);

  async function load() {
    try {
      const data = await api('GET', '/admin/audit?limit=200');
      const list = Array.isArray(data) ? data : (data && (data.entries || data.audit)) || [];
      // The server sends newest first already; sorting keeps that true
      // whatever order it uses (stable for equal times).
      entries = [...list].sort((a, b) => (b.at_ms || 0) - (a.at_ms || 0));
      showError(null);
      render();
    } catch (e) {
      showError(e);
    }
  }

  Mitra.header().catch(showError);
  Mitra.onLang(render);
  render();
  load();
})();

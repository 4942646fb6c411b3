// Every department served and its services, from GET /admin/services: the
// totals, and a row per service (how it is delivered, its SLA and fee, and
// whether its department is written as definitions or as code). The
// filters work on the list already loaded; it is read again every minute
// (a department published since shows up).
'use strict';

(() => {
  const { t, el, pick, fmtDateTime, fmtNumber, fmtRupees } = window.Mitra;
  Mitra.init();
  const showError = Mitra.errorBox('services-error');

  const REFRESH_MS = 60_000;
  const DELIVERIES = ['information', 'instant-document', 'application', 'booking', 'payment'];
  const inputs = {
    department: document.getElementById('f-department'),
    delivery: document.getElementById('f-delivery'),
    q: document.getElementById('f-q'),
  };
  // A checkbox's value is not what it says: kept out of `inputs` and set here.
  const declarativeOnly = document.getElementById('f-declarative');

  const f = Mitra.filters(['department', 'delivery', 'declarative', 'q'], inputs, {
    form: document.getElementById('filters'),
    debounce: { q: 250 },
  });
  const filters = f.values;
  declarativeOnly.checked = filters.declarative === '1';
  declarativeOnly.addEventListener('change', () => {
    filters.declarative = declarativeOnly.checked ? '1' : '';
    f.changed();
  });

  let last = null; // the latest answer, redrawn on a language switch
  let loadedAt = null;

  const departments = () => (last && last.departments) || [];
  const deliveryName = (d) => (Mitra.has(`svc.delivery.${d}`) ? t(`svc.delivery.${d}`) : String(d ?? ''));

  // Rebuilt only when what they list changes, so the refresh does not swap
  // a select from under an open picker on a phone.
  let selectsKey = '';
  function fillSelects() {
    const known = departments().map((d) => [d.id, pick(d.name, d.id)]);
    if (filters.department && !known.some(([id]) => id === filters.department)) known.push([filters.department, filters.department]);
    known.sort((a, b) => a[1].localeCompare(b[1]));
    const key = JSON.stringify([Mitra.lang(), known, filters.department, filters.delivery]);
    if (key === selectsKey) return;
    selectsKey = key;
    Mitra.fillSelect(inputs.department, t('common.all'), known, filters.department);
    Mitra.fillSelect(inputs.delivery, t('common.all'), DELIVERIES.map((d) => [d, deliveryName(d)]), filters.delivery);
  }

  // Whether `text` holds every word of the search (any case, either language).
  function matches(haystack, q) {
    if (!q) return true;
    const text = haystack.filter(Boolean).join(' ').toLocaleLowerCase();
    return q.toLocaleLowerCase().split(/\s+/).filter(Boolean).every((word) => text.includes(word));
  }

  // One entry per service the filters let through, with its department.
  function shown() {
    const q = String(filters.q || '').trim();
    const out = [];
    for (const d of departments()) {
      if (filters.department && d.id !== filters.department) continue;
      if (filters.declarative === '1' && !d.declarative) continue;
      for (const s of d.services || []) {
        if (filters.delivery && s.delivery !== filters.delivery) continue;
        const words = [s.id, s.title?.en, s.title?.te, d.id, d.name?.en, d.name?.te];
        if (!matches(words, q)) continue;
        out.push({ d, s });
      }
    }
    return out;
  }

  function kindBadge(declarative) {
    return declarative
      ? el('span', { className: 'badge kind-declarative', dataset: { kind: 'definitions' } }, t('svc.kind.definitions'))
      : el('span', { className: 'badge kind-code', dataset: { kind: 'code' } }, t('svc.kind.code'));
  }

  function sla(days) {
    const n = Number(days);
    if (!Number.isFinite(n)) return t('common.none');
    if (n === 0) return t('svc.same_day');
    return n === 1 ? t('svc.day') : t('svc.days', { n: fmtNumber(n) });
  }

  function fee(rupees) {
    const n = Number(rupees);
    if (!Number.isFinite(n)) return t('common.none');
    return n === 0 ? t('svc.free') : fmtRupees(Math.round(n * 100));
  }

  // Each cell says what it is (data-label), which a phone shows beside
  // the figures once the table's head is hidden.
  function row({ d, s }) {
    return el(
      'tr',
      { dataset: { department: d.id, service: s.id, delivery: s.delivery ?? '', declarative: String(!!d.declarative) } },
      el(
        'td',
        { className: 'svc-dept' },
        el('span', { className: 'svc-name' }, pick(d.name, d.id)),
        el('span', { className: 'svc-id' }, `${d.id} · v${d.version ?? '?'}`),
      ),
      el(
        'td',
        { className: 'svc-service' },
        el('span', { className: 'svc-name' }, pick(s.title, s.id)),
        el('span', { className: 'svc-id' }, s.id),
      ),
      el('td', { className: 'svc-delivery' }, el('span', { className: 'badge', dataset: { delivery: s.delivery ?? '' } }, deliveryName(s.delivery))),
      el('td', { className: 'num svc-sla', dataset: { days: String(s.sla_days), label: t('svc.sla') } }, sla(s.sla_days)),
      el('td', { className: 'num svc-fee', dataset: { rupees: String(s.fee_rupees), label: t('svc.fee') } }, fee(s.fee_rupees)),
      el('td', { className: 'svc-kind' }, kindBadge(d.declarative)),
    );
  }

  function renderTotals(totals = {}) {
    // A tile's figure, with its raw value for scripts and tests.
    const set = (id, text, value) => {
      const node = document.getElementById(id);
      node.textContent = text;
      node.dataset.value = value === undefined || value === null ? '' : String(value);
    };
    const code = (totals.departments ?? 0) - (totals.declarative_departments ?? 0);
    set('kpi-departments', fmtNumber(totals.departments ?? 0), totals.departments);
    set('kpi-departments-sub', t('svc.kpi.code', { n: fmtNumber(code) }), code);
    set('kpi-services', fmtNumber(totals.services ?? 0), totals.services);
    set('kpi-services-sub', t('svc.kpi.declarative_services', { n: fmtNumber(totals.declarative_services ?? 0) }), totals.declarative_services);
    set('kpi-declarative', fmtNumber(totals.declarative_departments ?? 0), totals.declarative_departments);
    set('kpi-declarative-sub', t('svc.kpi.of', { n: fmtNumber(totals.departments ?? 0) }), totals.departments);
  }

  function render() {
    fillSelects();
    if (!last) return;
    renderTotals(last.totals);
    const rows = shown();
    Mitra.table('services', rows, row);
    const all = last.totals?.services ?? rows.length;
    document.getElementById('services-count').textContent =
      rows.length < all
        ? t('svc.count_of', { shown: fmtNumber(rows.length), n: fmtNumber(all) })
        : t('svc.count', { n: fmtNumber(rows.length) });
    document.getElementById('updated').textContent = loadedAt ? t('dash.updated', { time: fmtDateTime(loadedAt) }) : '';
    // Which filters the rows drawn are for (tests wait on it).
    document.body.dataset.query = f.query();
    document.body.dataset.shown = String(rows.length);
    document.body.dataset.ready = '1';
  }

  const refresh = Mitra.loader(
    () => '/admin/services',
    (data) => {
      last = data || {};
      loadedAt = Date.now();
      render();
    },
    showError,
  );

  f.onChange(() => {
    declarativeOnly.checked = filters.declarative === '1';
    render();
  });

  Mitra.header().catch(showError);
  Mitra.onLang(render);
  f.writeUrl();
  render();
  refresh(true);
  Mitra.every(REFRESH_MS, () => refresh(false));
})();

// Fees on the console: KPIs, collections per department per day and the
// orders from GET /admin/payments, for the chosen department, status and
// days; the reconciliation CSV for the same. Refreshed every 15 s.
'use strict';

(() => {
  const { t, el, pick, fmtDateTime, fmtDay, fmtNumber, fmtRupees } = window.Mitra;
  Mitra.init();
  const showError = Mitra.errorBox('pay-error');

  const REFRESH_MS = 15_000;
  const STATUSES = Mitra.PAYMENT_STATUSES;
  const inputs = {
    department: document.getElementById('f-department'),
    status: document.getElementById('f-status'),
    from: document.getElementById('f-from'),
    to: document.getElementById('f-to'),
  };
  const csv = document.getElementById('csv');

  const f = Mitra.filters(['department', 'status', 'from', 'to'], inputs, {
    form: document.getElementById('filters'),
  });
  const filters = f.values;

  let last = null; // the latest answer, redrawn on a language switch
  let myDepartments = [];

  const names = () => (last && last.names) || { departments: {}, services: {} };
  const departmentName = (id) => pick(names().departments?.[id], id);
  const serviceName = (department, service) => pick(names().services?.[`${department}/${service}`], service);
  const statusName = (s) => (Mitra.has(`pay.status.${s}`) ? t(`pay.status.${s}`) : String(s ?? ''));

  function statusBadge(status) {
    const known = STATUSES.includes(status);
    return el('span', { className: `badge pay-${known ? status : 'unknown'}`, dataset: { status: status ?? '' } }, statusName(status));
  }

  // Rebuilt only when what they list changes, so the refresh does not swap
  // a select from under an open picker on a phone.
  let selectsKey = '';
  function fillSelects() {
    const ids = [...new Set([...myDepartments, ...Object.keys(names().departments || {}), filters.department].filter(Boolean))];
    const departments = ids.map((id) => [id, departmentName(id)]).sort((a, b) => a[1].localeCompare(b[1]));
    const key = JSON.stringify([Mitra.lang(), departments, filters.department, filters.status]);
    if (key === selectsKey) return;
    selectsKey = key;
    Mitra.fillSelect(inputs.department, t('common.all'), departments, filters.department);
    Mitra.fillSelect(inputs.status, t('pay.all_statuses'), STATUSES.map((s) => [s, statusName(s)]), filters.status);
  }

  function apiQuery() {
    const q = new URLSearchParams();
    for (const key of ['department', 'status', 'from', 'to']) if (filters[key]) q.set(key, filters[key]);
    return q.toString();
  }

  // The reconciliation covers whole days: the chosen ones, else this month
  // (India) up to today.
  function syncCsv() {
    const today = (last && last.today) || new Date().toISOString().slice(0, 10);
    const to = filters.to || today;
    const from = filters.from || `${to.slice(0, 8)}01`;
    const q = new URLSearchParams({ from, to });
    if (filters.department) q.set('department', filters.department);
    if (filters.status) q.set('status', filters.status);
    csv.href = `/admin/payments/reconciliation.csv?${q}`;
    csv.setAttribute('download', `payments-${from}-to-${to}.csv`);
    document.getElementById('csv-range').textContent = t('pay.csv_range', { from: fmtDay(from), to: fmtDay(to) });
  }

  // ---- KPIs --------------------------------------------------------------

  function renderKpis(k = {}) {
    // A tile's figure, with its raw value for scripts and tests.
    const set = (id, text, value) => {
      const node = document.getElementById(id);
      node.textContent = text;
      node.dataset.value = value === undefined || value === null ? '' : String(value);
    };
    const amount = (id, m = {}) => {
      set(id, fmtRupees(m.amount_paise), m.amount_paise);
      set(`${id}-sub`, t('pay.payments', { n: fmtNumber(m.count ?? 0) }), m.count);
    };
    const count = (id, m = {}) => {
      set(id, fmtNumber(m.count ?? 0), m.count);
      set(`${id}-sub`, fmtRupees(m.amount_paise), m.amount_paise);
    };
    amount('kpi-today', k.collected_today);
    amount('kpi-collected', k.collected);
    count('kpi-pending', k.pending);
    set('kpi-failed', fmtNumber(k.failed_attempts ?? 0), k.failed_attempts);
    set('kpi-failed-sub', t('pay.expired', { n: fmtNumber(k.expired?.count ?? 0) }), k.expired?.count);
    count('kpi-due-back', k.due_back);
    count('kpi-refunded', k.refunded);
    document.getElementById('kpi-due-back-card').classList.toggle('kpi-alert', Number(k.due_back?.count) > 0);
    document.getElementById('kpi-failed-card').classList.toggle('kpi-alert', Number(k.failed_attempts) > 0);
  }

  // ---- The chart ---------------------------------------------------------

  const Chart = window.Chart;
  const PALETTE = ['#0b5c4a', '#1f5fbf', '#b06a00', '#6a3fb5', '#0f6f7a', '#b3261e', '#3d6b1e', '#7a4b2a'];
  let chart = null;

  function makeChart() {
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.color = '#4d5b68';
    Chart.defaults.animation = false;
    chart = new Chart(document.getElementById('chart-collections'), {
      type: 'bar',
      data: { labels: [], datasets: [] },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        plugins: {
          legend: { position: 'bottom', labels: { boxWidth: 12 } },
          tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${fmtRupees(Math.round(item.raw * 100))}` } },
        },
        scales: {
          x: { stacked: true },
          y: { stacked: true, beginAtZero: true, title: { display: true, text: t('axis.rupees') } },
        },
      },
    });
    window.mitraPaymentsChart = chart;
  }

  function renderChart(rows = []) {
    if (!chart) return;
    const days = [...new Set(rows.map((r) => r.day))].sort();
    const departments = [...new Set(rows.map((r) => r.department))].sort();
    chart.data.labels = days.map((d) => fmtDay(d).slice(0, 5));
    chart.data.datasets = departments.map((d, i) => ({
      // The department's id beside the shown name: tests and scripts read it.
      department: d,
      label: departmentName(d),
      backgroundColor: PALETTE[i % PALETTE.length],
      borderColor: PALETTE[i % PALETTE.length],
      data: days.map((day) => rows.filter((r) => r.department === d && r.day === day).reduce((n, r) => n + r.amount_paise, 0) / 100),
    }));
    chart.options.scales.y.title.text = t('axis.rupees');
    document.querySelector('[data-empty="collections"]').hidden = rows.length > 0;
    chart.update('none');
  }

  // ---- The orders --------------------------------------------------------

  function row(o) {
    const none = t('common.none');
    const application = o.application_number
      ? el('a', { href: `/console/applications/${encodeURIComponent(o.application_number)}` }, o.application_number)
      : none;
    const failed = o.failed_attempts > 0 ? el('span', { className: 'badge pay-failed' }, t('pay.failed_n', { n: fmtNumber(o.failed_attempts) })) : null;
    return el(
      'tr',
      { dataset: { order: o.order_id, status: o.status ?? '' } },
      el('td', { className: 'nowrap' }, o.order_id),
      el('td', { className: 'nowrap' }, fmtDateTime(o.created_at_ms)),
      el('td', null, departmentName(o.department)),
      el('td', null, serviceName(o.department, o.service)),
      el('td', { className: 'num', dataset: { paise: String(o.amount_paise) } }, fmtRupees(o.amount_paise)),
      el('td', null, statusBadge(o.status), failed),
      el('td', { className: 'nowrap' }, o.gateway_payment_id || none),
      el('td', { className: 'nowrap' }, o.paid_at_ms ? fmtDateTime(o.paid_at_ms) : none),
      el('td', { className: 'nowrap' }, application),
      el('td', { className: 'nowrap' }, o.refund_id ? `${o.refund_id} · ${fmtDateTime(o.refunded_at_ms)}` : none),
    );
  }

  function render() {
    fillSelects();
    syncCsv();
    if (!last) return;
    renderKpis(last.kpis);
    renderChart(last.collections);
    const orders = last.orders || [];
    Mitra.table('orders', orders, row);
    const total = last.kpis?.orders?.count ?? orders.length;
    document.getElementById('orders-count').textContent =
      orders.length < total
        ? t('pay.count_of', { shown: fmtNumber(orders.length), n: fmtNumber(total) })
        : t('pay.count', { n: fmtNumber(orders.length) });
    document.getElementById('updated').textContent = last.generated_at_ms
      ? t('dash.updated', { time: fmtDateTime(last.generated_at_ms) })
      : '';
    // Which filters the figures drawn are for (tests wait on it).
    document.body.dataset.query = apiQuery();
    document.body.dataset.ready = '1';
    document.body.dataset.renders = String(Number(document.body.dataset.renders || 0) + 1);
  }

  // ---- Loading -----------------------------------------------------------

  const refresh = Mitra.loader(
    () => `/admin/payments${apiQuery() ? `?${apiQuery()}` : ''}`,
    (data) => {
      last = data || {};
      render();
    },
    showError,
  );

  f.onChange(() => {
    fillSelects();
    syncCsv();
    refresh(true);
  });

  Mitra.header()
    .then((me) => {
      myDepartments = (me && me.departments) || [];
      fillSelects();
    })
    .catch(showError);
  if (Chart) makeChart();
  else showError(new Error(t('error.charts')));
  Mitra.onLang(render);
  f.writeUrl();
  render();
  refresh(true);
  Mitra.every(REFRESH_MS, () => refresh(false));
})();

// The dashboard: KPIs, fees, charts and plugin health from GET
// /admin/dashboard, live (every 10 s) and for the chosen filters.
'use strict';

(() => {
  const { t, el, pick, fmtNumber, fmtDateTime, fmtDay, statusLabel, STATUSES } = window.Mitra;
  Mitra.init();
  const showError = Mitra.errorBox('dash-error');
  Mitra.header().catch(showError);

  const REFRESH_MS = 10_000;
  const inputs = {
    department: document.getElementById('f-department'),
    service: document.getElementById('f-service'),
    district: document.getElementById('f-district'),
    from: document.getElementById('f-from'),
    to: document.getElementById('f-to'),
  };
  const csv = document.getElementById('csv');

  // `service` is the names map's key, "department/service". Department and
  // service are not read back by the helper: choosing one can change the
  // other, so their listeners below set them and call `changed()`.
  const f = Mitra.filters(
    ['department', 'service', 'district', 'from', 'to'],
    { district: inputs.district, from: inputs.from, to: inputs.to },
    // District is typed: ask when the operator pauses, not on every key.
    { form: document.getElementById('filters'), debounce: { district: 500 } },
  );
  const filters = f.values;

  let last = null; // the latest answer, redrawn on a language switch
  let names = { departments: {}, services: {} };
  // The rows behind the service charts, for their tooltips.
  let turnaroundRows = [];
  let slowestRows = [];

  // The API takes a service by its own id within a department, so a chosen
  // "pensions/old-age" is sent as department=pensions&service=old-age (the
  // page's URL keeps the key whole: see Mitra.filters).
  function apiQuery() {
    const q = new URLSearchParams();
    let department = filters.department;
    let service = '';
    if (filters.service) {
      const slash = filters.service.indexOf('/');
      if (slash > 0) {
        department = department || filters.service.slice(0, slash);
        service = filters.service.slice(slash + 1);
      } else {
        service = filters.service;
      }
    }
    if (department) q.set('department', department);
    if (service) q.set('service', service);
    for (const key of ['district', 'from', 'to']) if (filters[key]) q.set(key, filters[key]);
    return q.toString();
  }

  // The CSV link downloads what the dashboard shows.
  function syncCsv() {
    csv.href = `/admin/applications.csv?${apiQuery()}`;
  }

  const departmentName = (id) => pick(names.departments?.[id], id);
  const serviceName = (department, service) => pick(names.services?.[`${department}/${service}`], service);

  function options(select, entries, selected) {
    const list = entries
      .map(([value, label]) => ({ value, label }))
      .sort((a, b) => a.label.localeCompare(b.label));
    // A filter from the URL that the names do not list is kept, shown by id.
    if (selected && !list.some((o) => o.value === selected)) list.unshift({ value: selected, label: selected });
    Mitra.fillSelect(select, t('common.all'), list.map((o) => [o.value, o.label]), selected);
  }

  // Rebuilt only when what they list changes, so a select a phone user has
  // open is not swapped under their finger by the 10-second refresh.
  let selectsKey = '';
  function fillSelects() {
    const key = JSON.stringify([Mitra.lang(), filters.department, filters.service, names]);
    if (key === selectsKey) return;
    selectsKey = key;
    options(
      inputs.department,
      Object.keys(names.departments || {}).map((id) => [id, departmentName(id)]),
      filters.department,
    );
    const services = Object.keys(names.services || {})
      .filter((k) => !filters.department || k.startsWith(`${filters.department}/`))
      .map((k) => {
        const [department, ...rest] = k.split('/');
        const label = pick(names.services[k], rest.join('/'));
        return [k, filters.department ? label : `${label} (${departmentName(department)})`];
      });
    options(inputs.service, services, filters.service);
  }

  // ---- Charts ------------------------------------------------------------

  const cssColor = (name, fallback) =>
    getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
  const COLORS = {
    in: '#1f5fbf',
    out: '#0b5c4a',
    submitted: '#1f5fbf',
    decided: '#1b7a3d',
    median: '#0b5c4a',
    p90: '#b06a00',
    breached: '#b3261e',
    grievances: '#6a3fb5',
    calls: '#1f5fbf',
    errors: '#b3261e',
    p99: '#b06a00',
  };
  const statusColor = (s) => cssColor(`--status-${s}`, '#4d5b68');

  const charts = {};
  const Chart = window.Chart;

  // Legend in dataset order (Chart.js would otherwise list by draw order).
  const legend = () => ({
    position: 'bottom',
    labels: { boxWidth: 12, sort: (a, b) => a.datasetIndex - b.datasetIndex },
  });

  function baseOptions(extra = {}) {
    return {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      plugins: { legend: legend() },
      ...extra,
    };
  }

  const countAxis = () => ({ beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: t('axis.count') } });
  const hoursAxis = () => ({ beginAtZero: true, title: { display: true, text: t('axis.hours') } });

  function makeCharts() {
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.color = '#4d5b68';
    Chart.defaults.animation = false;
    const line = (color) => ({ borderColor: color, backgroundColor: color, tension: 0.25, pointRadius: 2 });
    const bar = (color) => ({ backgroundColor: color, borderColor: color });
    const make = (id, config) => new Chart(document.getElementById(`chart-${id}`), config);

    charts.volume = make('volume', {
      type: 'line',
      data: { labels: [], datasets: [{ data: [], ...line(COLORS.in) }, { data: [], ...line(COLORS.out) }] },
      options: baseOptions({ scales: { y: countAxis() } }),
    });
    charts.applications = make('applications', {
      type: 'line',
      data: { labels: [], datasets: [{ data: [], ...line(COLORS.submitted) }, { data: [], ...line(COLORS.decided) }] },
      options: baseOptions({ scales: { y: countAxis() } }),
    });
    charts.status = make('status', {
      type: 'bar',
      data: { labels: [], datasets: [] },
      options: baseOptions({ scales: { x: { stacked: true }, y: { ...countAxis(), stacked: true } } }),
    });
    charts.turnaround = make('turnaround', {
      type: 'bar',
      data: { labels: [], datasets: [{ data: [], ...bar(COLORS.median) }, { data: [], ...bar(COLORS.p90) }] },
      options: baseOptions({
        scales: { y: hoursAxis() },
        plugins: {
          legend: legend(),
          tooltip: { callbacks: { title: (items) => serviceTitle(turnaroundRows[items[0]?.dataIndex]) } },
        },
      }),
    });
    charts.slowest = make('slowest', {
      type: 'bar',
      data: { labels: [], datasets: [{ data: [], ...bar(COLORS.median) }] },
      options: baseOptions({
        indexAxis: 'y',
        interaction: { mode: 'index', axis: 'y', intersect: false },
        scales: { x: hoursAxis() },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: (items) => serviceTitle(slowestRows[items[0]?.dataIndex]),
              afterLabel: (item) => `${t('series.open')}: ${fmtNumber(slowestRows[item.dataIndex]?.open)}`,
            },
          },
        },
      }),
    });
    charts.sla = make('sla', {
      type: 'bar',
      data: { labels: [], datasets: [{ data: [], ...bar(COLORS.breached) }] },
      options: baseOptions({ scales: { y: countAxis() }, plugins: { legend: { display: false } } }),
    });
    charts.grievances = make('grievances', {
      type: 'bar',
      data: { labels: [], datasets: [{ data: [], ...bar(COLORS.grievances) }] },
      options: baseOptions({ scales: { y: countAxis() }, plugins: { legend: { display: false } } }),
    });
    // p99 latency is in ms, calls and errors are counts: two y axes.
    charts.plugins = make('plugins', {
      type: 'bar',
      data: {
        labels: [],
        datasets: [
          { data: [], yAxisID: 'y', order: 2, ...bar(COLORS.calls) },
          { data: [], yAxisID: 'y', order: 2, ...bar(COLORS.errors) },
          { type: 'line', data: [], yAxisID: 'y1', order: 1, ...line(COLORS.p99), pointRadius: 4 },
        ],
      },
      options: baseOptions({
        scales: {
          y: countAxis(),
          y1: { beginAtZero: true, position: 'right', grid: { drawOnChartArea: false }, title: { display: true } },
        },
      }),
    });
    window.mitraCharts = charts;
  }

  function setEmpty(name, empty) {
    const note = document.querySelector(`[data-empty="${name}"]`);
    if (note) note.hidden = !empty;
  }

  // Volume labels carry the day only when the hours span more than one.
  function hourLabels(rows) {
    const day = (ms) => Mitra.fmtDate(ms);
    const days = new Set(rows.map((r) => day(r.hour_ms)));
    return rows.map((r) => {
      const time = Mitra.fmtTime(r.hour_ms);
      return days.size > 1 ? `${day(r.hour_ms).slice(0, 5)} ${time}` : time;
    });
  }

  function unique(values) {
    return [...new Set(values)];
  }

  function renderCharts(d) {
    if (!Chart) return;
    const messages = [...(d.messages || [])].sort((a, b) => a.hour_ms - b.hour_ms);
    const volume = charts.volume;
    volume.data.labels = hourLabels(messages);
    volume.data.datasets[0].label = t('series.in');
    volume.data.datasets[0].data = messages.map((r) => r.in ?? 0);
    volume.data.datasets[1].label = t('series.out');
    volume.data.datasets[1].data = messages.map((r) => r.out ?? 0);
    volume.options.scales.y.title.text = t('axis.count');
    setEmpty('volume', messages.length === 0);

    const days = [...(d.applications || [])].sort((a, b) => String(a.day).localeCompare(String(b.day)));
    const apps = charts.applications;
    apps.data.labels = days.map((r) => fmtDay(r.day).slice(0, 5));
    apps.data.datasets[0].label = t('series.submitted');
    apps.data.datasets[0].data = days.map((r) => r.submitted ?? 0);
    apps.data.datasets[1].label = t('series.decided');
    apps.data.datasets[1].data = days.map((r) => r.decided ?? 0);
    apps.options.scales.y.title.text = t('axis.count');
    setEmpty('applications', days.length === 0);

    const byStatus = d.by_status || [];
    const departments = unique(byStatus.map((r) => r.department));
    const present = unique(byStatus.map((r) => r.status));
    const statuses = [...STATUSES.filter((s) => present.includes(s)), ...present.filter((s) => !STATUSES.includes(s))];
    const status = charts.status;
    status.data.labels = departments.map(departmentName);
    status.data.datasets = statuses.map((s) => ({
      // The raw status beside the shown label: tests and scripts read it.
      status: s,
      label: statusLabel(s),
      backgroundColor: statusColor(s),
      borderColor: statusColor(s),
      data: departments.map((dep) =>
        byStatus.filter((r) => r.department === dep && r.status === s).reduce((n, r) => n + (r.count || 0), 0),
      ),
    }));
    status.options.scales.y.title.text = t('axis.count');
    setEmpty('status', departments.length === 0);

    const turnaround = (turnaroundRows = d.turnaround || []);
    const ta = charts.turnaround;
    ta.data.labels = turnaround.map((r) => serviceName(r.department, r.service));
    ta.data.datasets[0].label = t('series.median');
    ta.data.datasets[0].data = turnaround.map((r) => r.median_hours);
    ta.data.datasets[1].label = t('series.p90');
    ta.data.datasets[1].data = turnaround.map((r) => r.p90_hours);
    ta.options.scales.y.title.text = t('axis.hours');
    setEmpty('turnaround', turnaround.length === 0);

    slowestRows = d.slowest || [];
    const slowest = charts.slowest;
    slowest.data.labels = slowestRows.map((r) => serviceName(r.department, r.service));
    slowest.data.datasets[0].label = t('series.median');
    slowest.data.datasets[0].data = slowestRows.map((r) => r.median_hours);
    slowest.options.scales.x.title.text = t('axis.hours');
    setEmpty('slowest', slowestRows.length === 0);

    const slaRows = d.sla || [];
    const sla = charts.sla;
    sla.data.labels = slaRows.map((r) => departmentName(r.department));
    sla.data.datasets[0].label = t('series.breached');
    sla.data.datasets[0].data = slaRows.map((r) => r.breached ?? 0);
    sla.options.scales.y.title.text = t('axis.count');
    setEmpty('sla', slaRows.length === 0);

    const buckets = d.grievances || [];
    const grievances = charts.grievances;
    grievances.data.labels = buckets.map((r) => {
      const key = `bucket.${r.bucket}`;
      return t(key) === key ? String(r.bucket) : t(key);
    });
    grievances.data.datasets[0].label = t('series.grievances');
    grievances.data.datasets[0].data = buckets.map((r) => r.count ?? 0);
    grievances.options.scales.y.title.text = t('axis.count');
    setEmpty('grievances', buckets.length === 0);

    const pluginRows = d.plugins || [];
    const plugins = charts.plugins;
    plugins.data.labels = pluginRows.map((r) => departmentName(r.plugin));
    plugins.data.datasets[0].label = t('series.calls');
    plugins.data.datasets[0].data = pluginRows.map((r) => r.calls ?? 0);
    plugins.data.datasets[1].label = t('series.errors');
    plugins.data.datasets[1].data = pluginRows.map((r) => r.errors ?? 0);
    plugins.data.datasets[2].label = t('series.p99');
    plugins.data.datasets[2].data = pluginRows.map((r) => r.p99_ms);
    plugins.options.scales.y.title.text = t('axis.count');
    plugins.options.scales.y1.title.text = t('axis.ms');
    setEmpty('plugins', pluginRows.length === 0);

    for (const chart of Object.values(charts)) chart.update('none');
  }

  function serviceTitle(row) {
    return row ? `${serviceName(row.department, row.service)} · ${departmentName(row.department)}` : '';
  }

  // ---- KPIs and the plugin table -----------------------------------------

  function renderKpis(k = {}) {
    const set = (id, value) => {
      const node = document.getElementById(id);
      const known = value !== null && value !== undefined && Number.isFinite(Number(value));
      node.textContent = known ? fmtNumber(value) : t('common.none');
      node.dataset.value = known ? String(value) : '';
    };
    set('kpi-open', k.open);
    set('kpi-breached', k.breached);
    set('kpi-median', k.median_hours);
    set('kpi-p90', k.p90_hours);
    set('kpi-backlog', k.grievance_backlog);
    document.getElementById('kpi-breached-card').classList.toggle('kpi-alert', Number(k.breached) > 0);
  }

  // Fees over the same filters (GET /admin/payments has the detail).
  function renderFees(p = {}) {
    const set = (id, text, value) => {
      const node = document.getElementById(id);
      node.textContent = text;
      node.dataset.value = value === null || value === undefined ? '' : String(value);
    };
    set('kpi-fees-today', Mitra.fmtRupees(p.collected_today?.amount_paise), p.collected_today?.amount_paise);
    set('kpi-fees-pending', fmtNumber(p.pending?.count), p.pending?.count);
    set('kpi-fees-failed', fmtNumber(p.failed_attempts), p.failed_attempts);
    set('kpi-fees-due-back', Mitra.fmtRupees(p.due_back?.amount_paise), p.due_back?.amount_paise);
    set('kpi-fees-refunded', Mitra.fmtRupees(p.refunded?.amount_paise), p.refunded?.amount_paise);
    document.getElementById('kpi-fees-due-back-card').classList.toggle('kpi-alert', Number(p.due_back?.count) > 0);
    document.getElementById('kpi-fees-failed-card').classList.toggle('kpi-alert', Number(p.failed_attempts) > 0);
  }

  function renderPlugins(rows = []) {
    const num = (value) => el('td', { className: 'num' }, fmtNumber(value));
    // Any error, trap or deadline hit is worth the eye: shown in red.
    const bad = (value) => el('td', { className: value > 0 ? 'num bad' : 'num' }, fmtNumber(value));
    Mitra.table('plugins', rows, (r) =>
      el(
        'tr',
        { dataset: { plugin: r.plugin } },
        el('td', null, departmentName(r.plugin)),
        num(r.calls),
        bad(r.errors),
        bad(r.traps),
        bad(r.deadline_hits),
        num(r.p99_ms),
      ),
    );
  }

  function render() {
    if (!last) return;
    names = last.names || { departments: {}, services: {} };
    fillSelects();
    renderKpis(last.kpis);
    renderFees(last.payments);
    renderCharts(last);
    renderPlugins(last.plugins);
    document.getElementById('updated').textContent = last.generated_at_ms
      ? t('dash.updated', { time: fmtDateTime(last.generated_at_ms) })
      : '';
    document.body.dataset.ready = '1';
    document.body.dataset.renders = String(Number(document.body.dataset.renders || 0) + 1);
  }

  // ---- Loading -----------------------------------------------------------

  const refresh = Mitra.loader(
    () => `/admin/dashboard?${apiQuery()}`,
    (data) => {
      last = data || {};
      render();
    },
    showError,
  );

  f.onChange(() => {
    syncCsv();
    fillSelects();
    refresh(true);
  });

  inputs.department.addEventListener('change', () => {
    filters.department = inputs.department.value;
    if (filters.service && filters.department && !filters.service.startsWith(`${filters.department}/`)) {
      filters.service = '';
    }
    f.changed();
  });
  inputs.service.addEventListener('change', () => {
    filters.service = inputs.service.value;
    // Choosing a service narrows to its department too.
    const slash = filters.service.indexOf('/');
    if (slash > 0 && !filters.department) filters.department = filters.service.slice(0, slash);
    f.changed();
  });

  if (Chart) makeCharts();
  else showError(new Error(t('error.charts')));
  Mitra.onLang(render);
  // Tidy the URL to the filters understood, and point the CSV link at them.
  f.writeUrl();
  syncCsv();
  refresh(true);

  Mitra.every(REFRESH_MS, () => refresh(false));
})();

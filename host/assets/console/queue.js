// An officer's work queue: their departments' open files, oldest first, as
// GET /admin/queue orders them. Refreshed every 15 s.
'use strict';

(() => {
  const { t, el, pick, badge, fmtDateTime, fmtDate, fmtNumber } = window.Mitra;
  Mitra.init();

  const REFRESH_MS = 15_000;
  const DAY_MS = 86_400_000;
  const OPEN = ['submitted', 'under_review', 'needs_information'];
  const inputs = {
    department: document.getElementById('f-department'),
    status: document.getElementById('f-status'),
    district: document.getElementById('f-district'),
    from: document.getElementById('f-from'),
    to: document.getElementById('f-to'),
  };
  const showError = Mitra.errorBox('queue-error');

  // The queue sends its filters to the API as the URL holds them. District
  // applies on `change` (leaving the box or Enter), not while typing.
  const f = Mitra.filters(['department', 'status', 'district', 'from', 'to'], inputs, {
    form: document.getElementById('filters'),
  });
  const filters = f.values;

  let rows = null;
  let myDepartments = [];
  // Department names as the files give them, for the department filter.
  const departmentNames = new Map();

  const departmentOf = (a) => pick(a.department_name, a.plugin_id);
  const serviceOf = (a) => pick(a.service_title, a.service_id);

  // Rebuilt only when what they list changes, so the 15-second refresh does
  // not swap a select from under an open picker on a phone.
  let selectsKey = '';
  function fillSelects() {
    const ids = [...new Set([...myDepartments, ...departmentNames.keys(), filters.department].filter(Boolean))];
    const departments = ids
      .map((id) => ({ id, label: pick(departmentNames.get(id), id) }))
      .sort((a, b) => a.label.localeCompare(b.label));
    const key = JSON.stringify([Mitra.lang(), departments, filters.department, filters.status]);
    if (key === selectsKey) return;
    selectsKey = key;
    Mitra.fillSelect(inputs.department, t('common.all'), departments.map((d) => [d.id, d.label]), filters.department);
    Mitra.fillSelect(inputs.status, t('filter.open_statuses'), OPEN.map((s) => [s, Mitra.statusLabel(s)]), filters.status);
  }

  function slaCell(a, now) {
    const due = a.sla_due_ms;
    if (due === null || due === undefined) return el('td', null, t('common.none'));
    if (due < now) return el('td', null, el('span', { className: 'badge sla-overdue', title: fmtDateTime(due) }, t('sla.overdue')));
    return el('td', null, el('span', { className: 'sla-due' }, t('sla.due', { date: fmtDate(due) })));
  }

  function row(a, now) {
    const number = String(a.number);
    const overdue = a.sla_due_ms !== null && a.sla_due_ms !== undefined && a.sla_due_ms < now;
    const age = Math.max(0, Math.floor((now - a.submitted_at_ms) / DAY_MS));
    return el(
      'tr',
      { dataset: { number }, className: overdue ? 'overdue' : '' },
      el('td', { className: 'nowrap' }, el('a', { className: 'open', href: `/console/applications/${encodeURIComponent(number)}` }, number)),
      el('td', null, serviceOf(a)),
      el('td', null, departmentOf(a)),
      el('td', null, badge(a.status)),
      el('td', null, a.district || t('common.none')),
      el('td', { className: 'nowrap' }, fmtDateTime(a.submitted_at_ms)),
      el('td', { className: 'num' }, Number.isFinite(age) ? fmtNumber(age) : t('common.none')),
      slaCell(a, now),
    );
  }

  function render() {
    fillSelects();
    if (!rows) return;
    const now = Date.now();
    Mitra.table('queue', rows, (a) => row(a, now), 'queue.count');
  }

  const refresh = Mitra.loader(
    () => `/admin/queue${f.query() ? `?${f.query()}` : ''}`,
    (data) => {
      rows = Array.isArray(data) ? data : (data && data.applications) || [];
      for (const a of rows) if (a.plugin_id && a.department_name) departmentNames.set(a.plugin_id, a.department_name);
      render();
    },
    showError,
  );

  f.onChange(() => refresh(true));

  Mitra.header()
    .then((me) => {
      myDepartments = (me && me.departments) || [];
      fillSelects();
    })
    .catch(showError);
  Mitra.onLang(render);
  fillSelects();
  refresh(true);
  Mitra.every(REFRESH_MS, () => refresh(false));
})();

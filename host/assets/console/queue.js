// An officer's work queue: their departments' open files, oldest first, as
// GET /admin/queue orders them. Refreshed every 15 s.
'use strict';

(() => {
  const { t, api, el, pick, badge, fmtDateTime, fmtDate, fmtNumber } = window.Mitra;
  Mitra.init();

  const REFRESH_MS = 15_000;
  const DAY_MS = 86_400_000;
  const OPEN = ['submitted', 'under_review', 'needs_information'];
  const form = document.getElementById('filters');
  const inputs = {
    department: document.getElementById('f-department'),
    status: document.getElementById('f-status'),
    district: document.getElementById('f-district'),
    from: document.getElementById('f-from'),
    to: document.getElementById('f-to'),
  };
  const body = document.querySelector('#queue tbody');
  const errorBox = document.getElementById('queue-error');

  const filters = { department: '', status: '', district: '', from: '', to: '' };
  const initial = new URLSearchParams(location.search);
  for (const key of Object.keys(filters)) filters[key] = initial.get(key) || '';
  inputs.district.value = filters.district;
  inputs.from.value = filters.from;
  inputs.to.value = filters.to;

  let rows = null;
  let myDepartments = [];
  // Department names as the files give them, for the department filter.
  const departmentNames = new Map();

  function showError(e) {
    errorBox.textContent = e ? e.message || String(e) : '';
  }

  function query() {
    const q = new URLSearchParams();
    for (const [key, value] of Object.entries(filters)) if (value) q.set(key, value);
    return q.toString();
  }

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
    inputs.department.replaceChildren(
      el('option', { value: '' }, t('common.all')),
      ...departments.map((d) => el('option', { value: d.id }, d.label)),
    );
    inputs.department.value = filters.department;
    inputs.status.replaceChildren(
      el('option', { value: '' }, t('filter.open_statuses')),
      ...OPEN.map((s) => el('option', { value: s }, Mitra.statusLabel(s))),
    );
    inputs.status.value = filters.status;
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
    body.replaceChildren(...rows.map((a) => row(a, now)));
    document.getElementById('queue-empty').hidden = rows.length > 0;
    document.getElementById('queue-count').textContent = t('queue.count', { n: fmtNumber(rows.length) });
  }

  let seq = 0;
  let busy = false;

  async function refresh(force) {
    if (busy && !force) return;
    const mine = ++seq;
    busy = true;
    try {
      const data = await api('GET', `/admin/queue${query() ? `?${query()}` : ''}`);
      if (mine !== seq) return;
      rows = Array.isArray(data) ? data : (data && data.applications) || [];
      for (const a of rows) if (a.plugin_id && a.department_name) departmentNames.set(a.plugin_id, a.department_name);
      showError(null);
      render();
    } catch (e) {
      if (mine === seq && e.status !== 401) showError(e);
    } finally {
      if (mine === seq) busy = false;
    }
  }

  function changed() {
    filters.department = inputs.department.value;
    filters.status = inputs.status.value;
    filters.district = inputs.district.value.trim();
    filters.from = inputs.from.value;
    filters.to = inputs.to.value;
    const search = query();
    history.replaceState(null, '', search ? `?${search}` : location.pathname);
    refresh(true);
  }

  for (const input of [inputs.department, inputs.status, inputs.from, inputs.to, inputs.district]) {
    input.addEventListener('change', changed);
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    changed();
  });
  form.addEventListener('reset', () => setTimeout(changed, 0));

  Mitra.header()
    .then((me) => {
      myDepartments = (me && me.departments) || [];
      fillSelects();
    })
    .catch((e) => e.status !== 401 && showError(e));
  Mitra.onLang(render);
  fillSelects();
  refresh(true);
  Mitra.every(REFRESH_MS, () => refresh(false));
})();

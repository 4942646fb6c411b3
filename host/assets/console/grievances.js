// The grievance work queue: the operator's departments' grievances, those
// due soonest first as GET /admin/grievances orders them, by default the
// open ones at the operator's own level. Refreshed every 15 s.
'use strict';

(() => {
  const { t, el, badge, fmtDateTime, fmtDate, fmtNumber } = window.Mitra;
  Mitra.init();

  const REFRESH_MS = 15_000;
  const SHORT = 80;
  const STATUSES = Mitra.GRIEVANCE_STATUSES;
  const OPEN = Mitra.GRIEVANCE_OPEN;
  const LEVELS = ['all', '1', '2', '3'];
  const inputs = {
    department: document.getElementById('f-department'),
    status: document.getElementById('f-status'),
    level: document.getElementById('f-level'),
  };
  const showError = Mitra.errorBox('grievances-error');

  const f = Mitra.filters(['department', 'status', 'level'], inputs, {
    form: document.getElementById('filters'),
  });
  const filters = f.values;

  let rows = null;
  // The level the API chose when none was asked for (an officer's own).
  let apiLevel = null;
  let myDepartments = [];
  // Departments the grievances named, for the department filter.
  const seenDepartments = new Set();

  // Rebuilt only when what they list changes, so the 15-second refresh does
  // not swap a select from under an open picker on a phone.
  let selectsKey = '';
  function fillSelects() {
    const departments = [...new Set([...myDepartments, ...seenDepartments, filters.department].filter(Boolean))].sort(
      (a, b) => a.localeCompare(b),
    );
    const key = JSON.stringify([Mitra.lang(), departments, filters.department, filters.status, filters.level]);
    if (key === selectsKey) return;
    selectsKey = key;
    Mitra.fillSelect(inputs.department, t('common.all'), departments.map((d) => [d, d]), filters.department);
    Mitra.fillSelect(inputs.status, t('filter.open_statuses'), STATUSES.map((s) => [s, Mitra.statusLabel(s)]), filters.status);
    Mitra.fillSelect(
      inputs.level,
      t('filter.level_default'),
      LEVELS.map((l) => [l, l === 'all' ? t('filter.level_all') : t('grv.level', { level: l })]),
      filters.level,
    );
  }

  const isOpen = (g) => OPEN.includes(g.status);
  const overdue = (g, now) => isOpen(g) && Number.isFinite(g.due_at_ms) && g.due_at_ms < now;

  function dueCell(g, now) {
    const due = g.due_at_ms;
    if (due === null || due === undefined) return el('td', null, t('common.none'));
    if (overdue(g, now)) return el('td', null, el('span', { className: 'badge sla-overdue', title: fmtDateTime(due) }, t('sla.overdue')));
    return el('td', null, el('span', { className: 'sla-due', title: fmtDateTime(due) }, t('grv.due', { date: fmtDate(due) })));
  }

  function row(g, now) {
    const ticket = String(g.ticket);
    const level = Number(g.level) || 1;
    const escalated = level > 1;
    const late = overdue(g, now);
    return el(
      'tr',
      {
        dataset: { ticket, level: String(level), status: g.status ?? '' },
        className: [late ? 'overdue' : '', escalated ? 'escalated' : ''].filter(Boolean).join(' '),
      },
      el('td', { className: 'nowrap' }, el('a', { className: 'open', href: `/console/grievances/${encodeURIComponent(ticket)}` }, ticket)),
      el('td', null, Mitra.categoryLabel(g.category)),
      el('td', null, g.department || t('common.none')),
      el('td', null, badge(g.status), g.reopened ? el('span', { className: 'badge grv-reopened' }, t('grv.reopened')) : null),
      el('td', { className: 'nowrap' }, Mitra.levelBadge(level)),
      el('td', { className: 'nowrap' }, fmtDateTime(g.created_at_ms)),
      dueCell(g, now),
      el('td', { className: 'wrap', title: g.description || '' }, Mitra.truncate(g.description, SHORT) || t('common.none')),
    );
  }

  function render() {
    fillSelects();
    if (!rows) return;
    const now = Date.now();
    Mitra.table('grievances', rows, (g) => row(g, now), 'grv.count');
    const showing = !filters.level && Number.isFinite(apiLevel);
    document.getElementById('grievances-level').textContent = showing ? t('grv.at_level', { level: fmtNumber(apiLevel) }) : '';
  }

  const refresh = Mitra.loader(
    () => `/admin/grievances${f.query() ? `?${f.query()}` : ''}`,
    (data) => {
      rows = Array.isArray(data) ? data : (data && data.grievances) || [];
      apiLevel = data && Number.isFinite(data.level) ? data.level : null;
      for (const g of rows) if (g.department) seenDepartments.add(g.department);
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

// One grievance: its details, its history, and the officer's steps on it
// (start, comment, resolve). The ticket is the last part of the page's
// path, /console/grievances/<ticket>.
'use strict';

(() => {
  const { t, api, el, badge, fmtDateTime, setText } = window.Mitra;
  Mitra.init();

  const PREFIX = '/console/grievances/';
  // Which step each status allows; the server checks again.
  const ALLOWED = {
    start: ['open'],
    comment: ['open', 'in_progress', 'resolved'],
    resolve: ['open', 'in_progress'],
  };
  // Steps the citizen must be told something with.
  const NEEDS_NOTE = ['comment', 'resolve'];

  const ticket = Mitra.pathKey(PREFIX);
  const base = `/admin/grievances/${encodeURIComponent(ticket)}`;

  const $ = (id) => document.getElementById(id);
  const buttons = [...document.querySelectorAll('[data-action]')];
  const note = $('note');
  const showLoadError = Mitra.errorBox('load-error');
  const showActionError = Mitra.errorBox('act-error');

  let g = null;
  let events = [];
  let role = null;
  let busy = false;
  // The last step taken here, for the success line (redrawn on a switch).
  let done = null;

  $('ticket').textContent = ticket;

  function actorLabel(actor) {
    if (actor === 'citizen' || actor === 'host') return t(`actor.${actor}`);
    return actor || t('common.none');
  }

  function kindLabel(kind) {
    const key = `event.${kind}`;
    return t(key) === key ? String(kind ?? '') : t(key);
  }

  function renderEvents() {
    const sorted = [...events].sort((a, b) => a.at_ms - b.at_ms);
    $('events').replaceChildren(
      ...sorted.map((e) =>
        el(
          'li',
          { dataset: { kind: e.kind ?? '' } },
          el(
            'div',
            { className: 'timeline-head' },
            el('span', { className: `badge event event-${e.kind}` }, kindLabel(e.kind)),
            el('span', { className: 'timeline-actor' }, actorLabel(e.actor)),
            el(
              'time',
              { className: 'timeline-at', dateTime: Number.isFinite(e.at_ms) ? new Date(e.at_ms).toISOString() : '' },
              fmtDateTime(e.at_ms),
            ),
          ),
          e.note ? el('p', { className: 'timeline-note' }, e.note) : null,
        ),
      ),
    );
    $('events-empty').hidden = sorted.length > 0;
  }

  function renderActions() {
    const known = role !== null;
    const viewer = role === 'viewer';
    let open = 0;
    for (const button of buttons) {
      const allowed = (ALLOWED[button.dataset.action] || []).includes(g.status);
      button.disabled = busy || !allowed;
      if (allowed) open += 1;
    }
    $('actions').hidden = !known || viewer;
    $('viewer-note').hidden = !viewer;
    $('no-actions').hidden = open > 0;
    note.disabled = busy || open === 0;
  }

  function render() {
    if (!g) return;
    const now = Date.now();
    const level = Number(g.level) || 1;
    const status = $('status');
    status.className = badge(g.status).className + ' badge-large';
    status.textContent = Mitra.statusLabel(g.status);
    status.dataset.status = g.status ?? '';
    status.hidden = false;
    $('level-badge').replaceWith(Object.assign(Mitra.levelBadge(level), { id: 'level-badge' }));
    $('level-badge').classList.add('badge-large');
    const overdue = Mitra.GRIEVANCE_OPEN.includes(g.status) && Number.isFinite(g.due_at_ms) && g.due_at_ms < now;
    $('overdue').hidden = !overdue;
    $('reopened').hidden = !g.reopened;
    $('ticket').textContent = g.ticket || ticket;

    setText('category', Mitra.categoryLabel(g.category));
    setText('department', g.department);
    setText('level', level > 1 ? `${t('grv.level', { level })} · ${t('grv.escalated')}` : t('grv.level', { level }));
    $('level').classList.toggle('grv-escalated', level > 1);
    setText('lodged', g.created_at_ms ? fmtDateTime(g.created_at_ms) : null);
    setText('due', g.due_at_ms ? fmtDateTime(g.due_at_ms) : null);
    $('due').classList.toggle('bad', overdue);
    setText('updated', g.updated_at_ms ? fmtDateTime(g.updated_at_ms) : null);
    setText('resolved', g.resolved_at_ms ? fmtDateTime(g.resolved_at_ms) : null);
    const langKey = `lang.name.${g.language}`;
    setText('language', t(langKey) === langKey ? g.language : t(langKey));
    setText('wa-id', g.wa_id);
    setText('description', g.description);

    const rated = Number.isFinite(g.rating) && g.rating > 0;
    $('rating-row').hidden = !rated;
    if (rated) {
      const stars = Math.min(5, Math.round(g.rating));
      $('rating').replaceChildren(
        el('span', { className: 'stars', attrs: { 'aria-hidden': 'true' } }, '★'.repeat(stars) + '☆'.repeat(5 - stars)),
        ' ',
        t('grv.rating', { n: g.rating }),
      );
    }
    $('location-row').hidden = !g.location;
    setText('location', g.location);
    $('photo-row').hidden = !g.photo;
    setText('photo', g.photo ? t('grv.photo_attached', { id: g.photo }) : null);

    $('act-result').textContent = done ? t(`grv.done.${done}`) : '';
    renderEvents();
    renderActions();
    $('file').hidden = false;
    document.body.dataset.ready = '1';
  }

  async function load() {
    try {
      const data = await api('GET', base);
      g = { ...(g || {}), ...(data.grievance || {}) };
      events = data.events || [];
      showLoadError(null);
      render();
    } catch (e) {
      showLoadError(e.status === 404 ? `${t('grv.not_found')} ${e.message}` : e);
    }
  }

  async function act(action) {
    showActionError(null);
    done = null;
    $('act-result').textContent = '';
    const text = note.value.trim();
    if (!text && NEEDS_NOTE.includes(action)) {
      showActionError(t('grv.need_note'));
      note.focus();
      return;
    }
    busy = true;
    renderActions();
    try {
      const data = await api('POST', `${base}/${action}`, { note: text });
      g = { ...g, ...(data && data.grievance) };
      note.value = '';
      done = action;
      await load();
    } catch (e) {
      showActionError(e.status === 403 ? `${t('grv.forbidden')} ${e.message}` : e);
    } finally {
      busy = false;
      if (g) render();
    }
  }

  for (const button of buttons) button.addEventListener('click', () => act(button.dataset.action));
  $('actions').addEventListener('submit', (event) => event.preventDefault());

  Mitra.header()
    .then((me) => {
      role = (me && me.role) || '';
      if (g) renderActions();
    })
    .catch(showLoadError);
  Mitra.onLang(render);
  load();
})();

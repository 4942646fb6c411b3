// One application's file: details, answers, history, and the officer's
// actions on it. The number is the last part of the page's path,
// /console/applications/<number>.
'use strict';

(() => {
  const { t, api, el, pick, badge, fmtDateTime, fmtDay, setText } = window.Mitra;
  Mitra.init();

  const PREFIX = '/console/applications/';
  // Which action each status allows; the server checks again.
  const ALLOWED = {
    review: ['submitted'],
    ask: ['submitted', 'under_review'],
    approve: ['submitted', 'under_review', 'needs_information'],
    reject: ['submitted', 'under_review', 'needs_information'],
    deliver: ['approved'],
  };

  const number = Mitra.pathKey(PREFIX);
  const base = `/admin/applications/${encodeURIComponent(number)}`;

  const $ = (id) => document.getElementById(id);
  const buttons = [...document.querySelectorAll('[data-action]')];
  const note = $('note');
  const showLoadError = Mitra.errorBox('load-error');
  const showActionError = Mitra.errorBox('action-error');
  const showRevealError = Mitra.errorBox('reveal-error');

  let app = null;
  let events = [];
  let role = null;

  $('number').textContent = number;

  // An answer's value is one tagged variant ({"Text": "…"}, {"Date": "…"},
  // …); the tag's case is not relied on.
  function answerText(value) {
    if (value === null || value === undefined) return t('common.none');
    if (typeof value !== 'object') return String(value);
    const entries = Object.entries(value);
    if (entries.length !== 1) return JSON.stringify(value);
    const [kind, v] = entries[0];
    switch (kind.toLowerCase()) {
      case 'text':
      case 'choice':
      case 'aadhaar':
      case 'phone':
      case 'pincode':
      case 'number':
        return String(v);
      case 'date':
        return fmtDay(v);
      case 'location': {
        const g = v || {};
        const where = [g.name, g.address].filter(Boolean).join(', ');
        const at = t('answer.location', { lat: g.latitude ?? '?', lng: g.longitude ?? '?' });
        return where ? `${where} (${at})` : at;
      }
      case 'media': {
        const m = v || {};
        const what = m.filename || m.mime_type || m['mime-type'] || m.mimeType || m.id || '';
        return what ? `${t('answer.media')}: ${what}` : t('answer.media');
      }
      default:
        return JSON.stringify(v);
    }
  }

  function parseAnswers(raw) {
    if (Array.isArray(raw)) return raw;
    if (typeof raw !== 'string' || raw === '') return [];
    try {
      const list = JSON.parse(raw);
      return Array.isArray(list) ? list : [];
    } catch (e) {
      return [{ field_id: '?', value: raw }];
    }
  }

  function renderAnswers() {
    Mitra.table('answers', parseAnswers(app.answers), (a) => {
      const field = a.field_id ?? a['field-id'] ?? a.fieldId ?? '';
      return el('tr', { dataset: { field } }, el('td', { className: 'nowrap' }, field), el('td', { className: 'wrap' }, answerText(a.value)));
    });
  }

  function renderEvents() {
    const sorted = [...events].sort((a, b) => a.at_ms - b.at_ms);
    Mitra.table('events', sorted, (e) =>
      el(
        'tr',
        null,
        el('td', { className: 'nowrap' }, fmtDateTime(e.at_ms)),
        el('td', null, e.actor || t('common.none')),
        el('td', { className: 'nowrap' }, e.from_status ? badge(e.from_status) : null, el('span', { className: 'arrow', attrs: { 'aria-hidden': 'true' } }, '→'), badge(e.to_status)),
        el('td', { className: 'wrap' }, e.note || t('common.none')),
      ),
    );
  }

  function renderActions() {
    const viewer = role === 'viewer';
    let shown = 0;
    for (const button of buttons) {
      const allowed = !viewer && (ALLOWED[button.dataset.action] || []).includes(app.status);
      button.hidden = !allowed;
      if (allowed) shown += 1;
    }
    $('actions').hidden = viewer;
    $('viewer-note').hidden = !viewer;
    // Revealing is acting on the file too: the server refuses it to a viewer.
    $('reveal-card').hidden = viewer;
    $('no-actions').hidden = viewer || shown > 0;
    note.disabled = shown === 0;
  }

  function render() {
    if (!app) return;
    const status = $('status');
    status.className = `badge badge-large status-${Mitra.STATUSES.includes(app.status) ? app.status : 'unknown'}`;
    status.textContent = Mitra.statusLabel(app.status);
    status.dataset.status = app.status;
    status.hidden = false;
    $('number').textContent = app.number || number;
    setText('service', pick(app.service_title, app.service_id));
    setText('department', pick(app.department_name, app.plugin_id));
    setText('district', app.district);
    setText('submitted', app.submitted_at_ms ? fmtDateTime(app.submitted_at_ms) : null);
    setText('updated', app.updated_at_ms ? fmtDateTime(app.updated_at_ms) : null);
    setText('decided', app.decided_at_ms ? fmtDateTime(app.decided_at_ms) : null);
    const langKey = `lang.name.${app.language}`;
    setText('language', t(langKey) === langKey ? app.language : t(langKey));
    setText('wa-id', app.wa_id);
    setText('remarks', app.remarks);
    setText('question', app.question);
    $('question').classList.toggle('question', Boolean(app.question));
    renderAnswers();
    renderEvents();
    renderActions();
    $('file').hidden = false;
    document.body.dataset.ready = '1';
  }

  async function load() {
    try {
      const data = await api('GET', base);
      // Keep what only the file answer carries (titles) if an action's
      // answer, which may lack them, was merged in before.
      app = { ...(app || {}), ...(data.application || {}) };
      events = data.events || [];
      showLoadError(null);
      render();
    } catch (e) {
      showLoadError(e.status === 404 ? `${t('app.not_found')} ${e.message}` : e);
    }
  }

  async function act(action) {
    showActionError(null);
    const text = note.value.trim();
    for (const b of buttons) b.disabled = true;
    try {
      const data = await api('POST', `${base}/${action}`, text ? { note: text } : {});
      app = { ...app, ...(data && data.application) };
      note.value = '';
      render();
      await load();
    } catch (e) {
      showActionError(e);
    } finally {
      for (const b of buttons) b.disabled = false;
    }
  }

  for (const button of buttons) button.addEventListener('click', () => act(button.dataset.action));

  // Revealing who the citizen is needs a reason, which the server audits.
  const revealForm = $('reveal-form');
  const reason = $('reveal-reason');
  $('reveal').addEventListener('click', () => {
    revealForm.hidden = false;
    $('reveal').hidden = true;
    reason.focus();
  });
  $('reveal-cancel').addEventListener('click', () => {
    revealForm.hidden = true;
    $('reveal').hidden = false;
    showRevealError(null);
  });
  $('reveal-confirm').addEventListener('click', async () => {
    showRevealError(null);
    const why = reason.value.trim();
    if (!why) {
      showRevealError(t('reveal.need_reason'));
      reason.focus();
      return;
    }
    const confirm = $('reveal-confirm');
    confirm.disabled = true;
    try {
      const who = (await api('POST', `${base}/reveal`, { reason: why })) || {};
      setText('revealed-wa-id', who.wa_id);
      setText('revealed-profile-name', who.profile_name);
      $('revealed').hidden = false;
      revealForm.hidden = true;
      reason.value = '';
    } catch (e) {
      showRevealError(e);
    } finally {
      confirm.disabled = false;
    }
  });

  Mitra.header()
    .then((me) => {
      role = me && me.role;
      if (app) renderActions();
    })
    .catch(showLoadError);
  Mitra.onLang(render);
  load();
})();

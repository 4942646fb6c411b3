// The sign-in form. The server sets the session cookie; this page only
// posts the credentials and says why a sign-in failed.
'use strict';

(() => {
  const { t, api } = window.Mitra;
  Mitra.init();

  const form = document.getElementById('login-form');
  const username = document.getElementById('username');
  const password = document.getElementById('password');
  const button = document.getElementById('login');
  const error = document.getElementById('login-error');

  username.focus();

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    button.disabled = true;
    button.textContent = t('login.busy');
    try {
      await api('POST', '/console/login', { username: username.value.trim(), password: password.value });
      location = '/console/';
    } catch (e) {
      error.textContent = e.message || t('login.failed');
      password.select();
    } finally {
      button.disabled = false;
      button.textContent = t('login.submit');
    }
  });
})();

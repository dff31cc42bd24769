import { formValue, h } from './dom';

/** The login form: the API key is entered once and kept for this browser tab only (sessionStorage). */
export function loginView(onKey: (key: string) => void, notice?: string): HTMLElement {
  const form = h(
    'form',
    {
      class: 'login stack',
      'data-testid': 'login',
      onsubmit: (event) => {
        event.preventDefault();
        const key = formValue(event.target as HTMLFormElement, 'key');
        if (key) onKey(key);
      },
    },
    h('h1', {}, 'Virtual Voices'),
    h('p', { class: 'muted' }, 'Sign in with an API key: the admin key (in development: data/admin-api-key) or a company key.'),
    h('label', {}, 'API key ', h('input', { name: 'key', type: 'password', autocomplete: 'off', required: true, autofocus: true, 'data-testid': 'api-key' })),
    h('button', { type: 'submit' }, 'Sign in'),
    notice ? h('p', { class: 'error', role: 'alert' }, notice) : null,
  );
  return form;
}

'use strict';
// The article form: a "Preview" button under each answer shows it as readers will see it,
// rendered and cleaned on the server (the same Markdown and sanitiser as the site).
{
    function csrfToken() {
        const input = document.querySelector('input[name=csrfmiddlewaretoken]');
        return input ? input.value : '';
    }

    function addPreview(textarea) {
        if (!textarea || textarea.dataset.preview) {
            return;
        }
        textarea.dataset.preview = 'on';
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'button answer-preview-button';
        button.textContent = 'Preview';
        button.setAttribute('aria-expanded', 'false');
        const panel = document.createElement('div');
        panel.className = 'answer-preview';
        panel.hidden = true;
        panel.setAttribute('aria-live', 'polite');
        textarea.after(button, panel);
        button.addEventListener('click', async () => {
            if (!panel.hidden) {
                panel.hidden = true;
                button.textContent = 'Preview';
                button.setAttribute('aria-expanded', 'false');
                return;
            }
            const body = new URLSearchParams({text: textarea.value});
            const url = document.querySelector('meta[name=answer-preview-url]').content;
            const response = await fetch(url, {
                method: 'POST',
                headers: {'X-CSRFToken': csrfToken()},
                body: body,
                credentials: 'same-origin',
            });
            panel.innerHTML = response.ok ? await response.text() : '<p>The preview could not be made.</p>';
            panel.hidden = false;
            button.textContent = 'Hide preview';
            button.setAttribute('aria-expanded', 'true');
        });
    }

    document.addEventListener('DOMContentLoaded', () => {
        document.querySelectorAll('textarea[name^="sections-"][name$="-answer"]').forEach(addPreview);
        document.addEventListener('formset:added', (event) => {
            addPreview(event.target.querySelector('textarea[name$="-answer"]'));
        });
    });
}

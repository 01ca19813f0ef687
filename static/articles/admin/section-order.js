'use strict';
// The article form: "Move up" / "Move down" buttons on each section. The position fields follow
// the order on the page when the form is saved. Without JavaScript, editors type the positions.
{
    const rowsOf = (group) => [...group.querySelectorAll('.inline-related:not(.empty-form)')];

    function addButtons(row) {
        const heading = row.querySelector('h3');
        if (!heading || row.querySelector('.section-move')) {
            return;
        }
        const box = document.createElement('span');
        box.className = 'section-move';
        for (const [direction, label] of [['up', 'Move up'], ['down', 'Move down']]) {
            const button = document.createElement('button');
            button.type = 'button';
            button.className = 'button';
            button.dataset.move = direction;
            button.textContent = label;
            box.append(button);
        }
        heading.append(box);
    }

    function renumber(group) {
        let position = 1;
        for (const row of rowsOf(group)) {
            const question = row.querySelector('input[name$="-question"]');
            const field = row.querySelector('input[name$="-position"]');
            const deleted = row.querySelector('input[name$="-DELETE"]');
            // Blank extra forms keep their position, so Django still sees them as unchanged.
            if (question && field && question.value.trim() && !(deleted && deleted.checked)) {
                field.value = position++;
            }
        }
    }

    document.addEventListener('DOMContentLoaded', () => {
        const group = document.getElementById('sections-group');
        if (!group) {
            return;
        }
        rowsOf(group).forEach(addButtons);
        document.addEventListener('formset:added', (event) => addButtons(event.target));
        group.addEventListener('click', (event) => {
            const button = event.target.closest('button[data-move]');
            if (!button) {
                return;
            }
            const row = button.closest('.inline-related');
            const rows = rowsOf(group);
            const index = rows.indexOf(row);
            const up = button.dataset.move === 'up';
            const other = rows[up ? index - 1 : index + 1];
            if (!other) {
                return;
            }
            if (up) {
                other.before(row);
            } else {
                other.after(row);
            }
            renumber(group);
            button.focus();
        });
        group.closest('form').addEventListener('submit', () => renumber(group));
    });
}

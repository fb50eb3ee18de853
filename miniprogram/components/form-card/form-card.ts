import { t } from '../../core/i18n/index';
import type { FormView, TaskFormFieldView, TaskFormView } from '../../core/chat/chat-view';
import { followLanguage, unfollowLanguage } from '../../behaviors/language';

/** Choice fields with at most this many options are drawn as chips; longer lists use a picker. */
const MAX_CHIPS = 6;

interface FieldRow extends TaskFormFieldView {
  chips: boolean;
  /** Index the picker opens at (its `value` must be a valid index). */
  pickerIndex: number;
  label: string;
}

function fieldRows(form: TaskFormView): FieldRow[] {
  return form.fields.map((f) => {
    const state =
      f.value || (f.formType === 'choice' ? t('components.form.choose') : f.placeholder);
    return {
      ...f,
      chips: f.formType === 'choice' && f.choices.length <= MAX_CHIPS,
      pickerIndex: f.choiceIndex >= 0 ? f.choiceIndex : 0,
      label: t('components.form.field', {
        name: f.required ? t('components.form.requiredName', { name: f.name }) : f.name,
        state,
      }),
    };
  });
}

/**
 * `form-card`: an information-collection form. Give `form` for a src 21 input form (one text box:
 * `submit {text}` with the trimmed text; empty text shows an inline error and emits nothing) or
 * `taskForm` for a src 33 task-flow form (each edit emits `fieldchange {name, value}`, the button
 * emits `submittask`; validation errors come back in the view). Nothing is emitted once the view
 * says submitted or not editable. Events do not bubble.
 */
Component({
  options: { virtualHost: false },
  properties: {
    form: { type: Object, value: null as FormView | null },
    taskForm: { type: Object, value: null as TaskFormView | null },
  },
  data: {
    text: '',
    error: '',
    inputLabel: '',
    requiredLabel: t('components.form.required'),
    chooseText: t('components.form.choose'),
    fields: [] as FieldRow[],
  },
  lifetimes: {
    attached() {
      followLanguage(this, () =>
        this.setData({
          requiredLabel: t('components.form.required'),
          chooseText: t('components.form.choose'),
          // Runs the observers again: the label and the field rows are texts too.
          form: this.data.form,
          taskForm: this.data.taskForm,
        }),
      );
    },
    detached() {
      unfollowLanguage(this);
    },
  },
  observers: {
    form(form: FormView | null) {
      if (!form) return;
      this.setData({ inputLabel: t('components.form.input', { header: form.header }) });
    },
    taskForm(form: TaskFormView | null) {
      if (!form) return;
      this.setData({ fields: fieldRows(form) });
    },
  },
  methods: {
    onInput(e: WechatMiniprogram.Input) {
      const value = typeof e.detail.value === 'string' ? e.detail.value : '';
      this.setData({ text: value, error: value.trim() === '' ? this.data.error : '' });
    },
    onSubmit() {
      const form = this.data.form as FormView | null;
      if (!form || form.submitted || form.submitting) return;
      const text = this.data.text.trim();
      if (text === '') {
        this.setData({ error: t('tccc.form.empty') });
        return;
      }
      this.setData({ error: '' });
      this.triggerEvent('submit', { text });
    },
    emitField(name: unknown, value: string) {
      const form = this.data.taskForm as TaskFormView | null;
      if (!form || !form.editable || form.submitting || typeof name !== 'string') return;
      this.triggerEvent('fieldchange', { name, value });
    },
    onFieldInput(e: WechatMiniprogram.Input) {
      const value = typeof e.detail.value === 'string' ? e.detail.value : '';
      this.emitField(e.currentTarget.dataset.name, value);
    },
    onChip(e: WechatMiniprogram.TouchEvent) {
      const value: unknown = e.currentTarget.dataset.value;
      if (typeof value === 'string') this.emitField(e.currentTarget.dataset.name, value);
    },
    onPick(e: WechatMiniprogram.PickerChange) {
      const name: unknown = e.currentTarget.dataset.name;
      const form = this.data.taskForm as TaskFormView | null;
      const field = form?.fields.find((f) => f.name === name);
      const index = Number(e.detail.value);
      if (field && Number.isInteger(index) && field.choices[index] !== undefined) {
        this.emitField(name, field.choices[index]);
      }
    },
    onSubmitTask() {
      const form = this.data.taskForm as TaskFormView | null;
      if (!form || !form.editable || form.submitting) return;
      this.triggerEvent('submittask', {});
    },
  },
});

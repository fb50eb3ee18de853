import { find, findAll, fire, mountHost, tap } from './host';
import type { Hosted } from './host';
import { inputForm, taskForm } from './fixtures';
import type { FormView, TaskFormView } from '../../../miniprogram/core/chat/chat-view';

const PATH = 'components/form-card/form-card';
const EVENTS = ['submit', 'fieldchange', 'submittask'];
const mountInput = (form: FormView): Promise<Hosted> =>
  mountHost(PATH, { form, taskForm: null }, EVENTS);
const mountTask = (taskFormView: TaskFormView): Promise<Hosted> =>
  mountHost(PATH, { form: null, taskForm: taskFormView }, EVENTS);

const submitButton = (h: Hosted, id: string) => find(find(h.subject, id), '.t-button');

describe('form-card, input form (src 21)', () => {
  it('empty submit shows an inline error and emits nothing', async () => {
    const h = await mountInput(inputForm());
    expect(find(h.subject, '.cs-form__header').dom!.textContent).toBe('请留下您的手机号');
    await fire(find(h.subject, '.cs-form__input'), 'input', { value: '   ' });
    await tap(submitButton(h, '#form-submit'));
    expect(find(h.subject, '.cs-form__error').dom!.textContent).toBe('请输入内容');
    expect(h.events).toEqual([]);
  });

  it('typed text is submitted trimmed, and typing clears the error', async () => {
    const h = await mountInput(inputForm());
    await tap(submitButton(h, '#form-submit'));
    expect(h.subject.querySelector('.cs-form__error')).toBeTruthy();
    await fire(find(h.subject, '.cs-form__input'), 'input', { value: ' 138 0000 ' });
    expect(h.subject.querySelector('.cs-form__error')).toBeUndefined();
    await fire(find(h.subject, '.cs-form__input'), 'confirm', { value: ' 138 0000 ' });
    expect(h.events).toEqual([{ type: 'submit', detail: { text: '138 0000' } }]);
  });

  it('submitted: the answer and the submitted text, no input, no second submit', async () => {
    const h = await mountInput(inputForm());
    await fire(find(h.subject, '.cs-form__input'), 'input', { value: '张三' });
    await tap(submitButton(h, '#form-submit'));
    await h.update({ form: inputForm({ submitted: true, submittedText: '已提交' }) });
    expect(h.subject.querySelector('.cs-form__input')).toBeUndefined();
    expect(find(h.subject, '.cs-form__answer').dom!.textContent).toBe('张三');
    expect(find(h.subject, '.cs-form__done').dom!.textContent).toBe('已提交');
    expect(h.events).toEqual([{ type: 'submit', detail: { text: '张三' } }]);
  });

  it('while submitting, a tap emits nothing', async () => {
    const h = await mountInput(inputForm({ submitting: true }));
    await fire(find(h.subject, '.cs-form__input'), 'input', { value: 'x' });
    await fire(find(h.subject, '.cs-form__input'), 'confirm', { value: 'x' });
    expect(h.events).toEqual([]);
  });
});

describe('form-card, task form (src 33)', () => {
  it('draws the tip, required marks, an input, chips for short choices and a picker for long ones', async () => {
    const h = await mountTask(taskForm());
    expect(find(h.subject, '.cs-form__header').dom!.textContent).toBe('请填写报修信息');
    const labels = findAll(h.subject, '.cs-form__label').map((l) => l.dom!.textContent);
    expect(labels).toEqual(['*姓名', '设备类型', '*城市']);
    expect(findAll(h.subject, '.cs-form__input')).toHaveLength(1);
    const chips = findAll(h.subject, '.cs-form__chip');
    expect(chips.map((c) => c.dom!.textContent)).toEqual(['空调', '冰箱', '洗衣机']);
    expect(findAll(h.subject, '.cs-form__chip--on').map((c) => c.dom!.textContent)).toEqual([
      '空调',
    ]);
    expect(find(h.subject, '.cs-form__picker').dom!.textContent).toContain('请选择');
    expect(h.subject.data.fields[0].label).toBe('姓名，必填，请输入姓名');
  });

  it('every edit emits fieldchange {name, value}; submit emits submittask', async () => {
    const h = await mountTask(taskForm());
    await fire(find(h.subject, '.cs-form__input'), 'input', { value: '李四' });
    await tap(findAll(h.subject, '.cs-form__chip')[2]);
    await fire(find(h.subject, '.cs-form__picker-host'), 'change', { value: '3' });
    await tap(submitButton(h, '#task-submit'));
    expect(h.events).toEqual([
      { type: 'fieldchange', detail: { name: '姓名', value: '李四' } },
      { type: 'fieldchange', detail: { name: '设备类型', value: '洗衣机' } },
      { type: 'fieldchange', detail: { name: '城市', value: '深圳' } },
      { type: 'submittask', detail: {} },
    ]);
  });

  it('shows the per-field errors the view reports', async () => {
    const form = taskForm();
    form.fields = form.fields.map((f) => (f.required ? { ...f, error: `请填写${f.name}` } : f));
    const h = await mountTask(form);
    const errors = findAll(h.subject, '.cs-form__error').map((e) => e.dom!.textContent);
    expect(errors).toEqual(['请填写姓名', '请填写城市']);
    expect(findAll(h.subject, '.cs-form__input-row--error').length).toBeGreaterThanOrEqual(2);
  });

  it('submitted: values shown read-only, no submit button, no events', async () => {
    const done = taskForm({ editable: false, submitted: true, submittedText: '已提交' });
    done.fields = done.fields.map((f) => ({ ...f, value: f.choices[1] ?? '王五' }));
    const h = await mountTask(done);
    expect(h.subject.querySelector('#task-submit')).toBeUndefined();
    expect(find(h.subject, '.cs-form__done').dom!.textContent).toBe('已提交');
    expect(findAll(h.subject, '.cs-form__chip--inert')).toHaveLength(3);
    await tap(findAll(h.subject, '.cs-form__chip')[0]);
    await fire(find(h.subject, '.cs-form__input'), 'input', { value: 'x' });
    expect(h.events).toEqual([]);
  });
});

/**
 * `payload.data` strings shaped like the TCCC protocol examples (docs tccc-protocol.md §5, §7), for
 * fake service accounts in tests. They build fixtures only; parsing is the protocol core's job.
 */
const flagged = (src: string | number, rest: Record<string, unknown> = {}): string =>
  JSON.stringify({
    customerServicePlugin: 0,
    src: typeof src === 'number' ? src : String(src),
    ...rest,
  });

export const tccc = {
  rating(
    options: {
      expireTime?: number;
      selected?: string;
      type?: 1 | 2;
      sessionId?: string;
      levels?: number;
    } = {},
  ): string {
    const labels = ['非常不满意', '不满意', '一般', '满意', '非常满意'];
    const menu = labels
      .slice(0, options.levels ?? 5)
      .map((content, i) => ({ id: String(101 + i), content }));
    const menuContent: Record<string, unknown> = {
      head: '感谢您使用我们的服务,请对此次服务进行评价!',
      tail: '感谢您对此次服务作出评价,祝您生活愉快,再见!',
      menu,
      type: options.type ?? 1,
      sessionId: options.sessionId ?? '7a67f6bb-8fac-41e5-8bab-78c0259ae5a9',
      effectiveHour: 12,
      expireTime: options.expireTime ?? 4102444800,
    };
    if (options.selected) {
      const chosen = menu.find((m) => m.id === options.selected);
      menuContent.selected = { id: options.selected, content: chosen?.content ?? '' };
    }
    return flagged(9, { menuContent });
  },
  branch(
    items: string[],
    extra: { header?: string; selected?: string; numericSrc?: boolean } = {},
  ): string {
    const content: Record<string, unknown> = {
      header: extra.header ?? '请选择您要咨询的问题',
      items: items.map((content) => ({ content, desc: '' })),
    };
    if (extra.selected) content.selected = { content: extra.selected, desc: '' };
    return flagged(extra.numericSrc ? 15 : '15', { content });
  },
  formChoice(items: string[]): string {
    return flagged(21, {
      content: {
        type: 1,
        header: '请选择',
        items: items.map((content) => ({ content, desc: '' })),
      },
    });
  },
  formInput(header = '请输入您的手机号'): string {
    return flagged(21, { content: { type: 2, header } });
  },
  robotWelcome(items: string[], title = '您好，请问有什么可以帮您？'): string {
    return flagged(29, {
      subtype: 'welcome_msg',
      content: { title, items: items.map((content, i) => ({ content, id: String(i) })) },
    });
  },
  richText(content: string): string {
    return flagged(30, { content });
  },
  stream(chunks: string[], finished: boolean): string {
    return flagged(31, { chunks, isFinished: finished ? 1 : 0 });
  },
  taskBranch(
    items: string[],
    options: { optionType?: 0 | 1; status?: number; selected?: string } = {},
  ): string {
    const content: Record<string, unknown> = {
      header: '请选择业务',
      tail: '',
      items: items.map((content) => ({ content, desc: '' })),
    };
    if (options.selected) content.selected = { content: options.selected };
    return flagged(32, {
      status: options.status ?? 0,
      optionType: options.optionType ?? 1,
      taskInfo: { taskID: 1001, nodeID: 'node-7', env: 'prod' },
      content,
    });
  },
  taskForm(
    fields: Array<{ name: string; required?: boolean; choices?: string[] }>,
    nodeStatus = 0,
  ): string {
    return flagged(33, {
      nodeStatus,
      taskInfo: { taskID: 1001, nodeID: 'node-8', env: 'prod' },
      content: {
        tip: '请填写以下信息',
        inputVariables: fields.map((f) => ({
          name: f.name,
          type: 'string',
          formType: f.choices ? 1 : 0,
          placeholder: '',
          isRequired: f.required ? 1 : 0,
          variableValue: '',
          chooseItemList: f.choices ?? [],
        })),
      },
    });
  },
  productCard(): string {
    return flagged(22, {
      content: {
        header: '商品',
        desc: '¥99',
        pic: 'https://example.com/p.png',
        url: 'https://example.com/p',
      },
    });
  },
  typing(): string {
    return flagged(12);
  },
  thinking(status = 1): string {
    return flagged(35, { thinkingStatus: status });
  },
  ratingSettings(flag: number): string {
    return flagged(23, { content: { menuSendRuleFlag: flag } });
  },
  seat(inSeat: boolean): string {
    return flagged(26, {
      content: { command: 'updateSeatStatus', content: inSeat ? 'inSeat' : 'outSeat' },
    });
  },
  ended(): string {
    return flagged(19);
  },
  timeout(): string {
    return flagged(20);
  },
  tip(text: string): string {
    return flagged(37, { content: text });
  },
  /** `cloudCustomData` of Desk system messages (docs §9). */
  meta(messageType: string, role = 'robot', scene?: string): string {
    return JSON.stringify(scene ? { messageType, role, scene } : { messageType, role });
  },
};

/** Parses the `payload.data` of a sent custom message (for assertions). */
export function parseData(data: string | undefined): Record<string, unknown> {
  return JSON.parse(data ?? '{}') as Record<string, unknown>;
}

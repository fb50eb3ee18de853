/**
 * View-model fixtures for the message components: plain objects typed with the view types, so a
 * field renamed in core breaks the type check here instead of silently rendering nothing.
 */
import type {
  CardView,
  ChatView,
  FormView,
  MenuView,
  MessageView,
  OrderView,
  RatingView,
  SessionView,
  TaskFormView,
} from '../../../miniprogram/core/chat/chat-view';

export function baseMessage(over: Partial<MessageView> = {}): MessageView {
  return {
    id: 'msg-1',
    key: 'msg-1',
    clientId: '',
    kind: 'text',
    isMine: false,
    sender: 'peer',
    senderLabel: '',
    avatar: '',
    nick: '小王',
    status: 'sent',
    statusText: '',
    errorText: '',
    canRetry: false,
    canRemove: false,
    timeText: '10:32',
    showTime: false,
    revokedText: '',
    text: '您好，请问有什么可以帮您？',
    ...over,
  };
}

export function menuView(over: Partial<MenuView> = {}): MenuView {
  return {
    header: '请选择您要咨询的问题',
    content: '',
    items: [
      { content: '订单查询', desc: '查看物流与订单状态', selected: false },
      { content: '退换货', desc: '', selected: false },
      { content: '人工', desc: '转接人工客服', selected: false },
    ],
    tail: '',
    selected: '',
    canSelect: true,
    paged: false,
    page: 0,
    pageCount: 1,
    refreshText: '',
    ...over,
  };
}

export function ratingView(over: Partial<RatingView> = {}): RatingView {
  const labels = ['非常不满意', '不满意', '一般', '满意', '非常满意'];
  const style = over.style ?? 'star';
  return {
    title: '请对本次服务进行评价',
    head: '感谢您使用我们的服务，请对此次服务进行评价！',
    tail: '感谢您的评价，祝您生活愉快！',
    showTail: false,
    style,
    options: labels.map((label, i) => ({
      id: String(101 + i),
      label,
      text: style === 'number' ? String(i + 1) : '',
      lit: false,
    })),
    selectedId: '',
    label: '如果满意请给好评哦～',
    expired: false,
    expiredText: '',
    scaleLow: '',
    scaleHigh: '',
    disabled: false,
    submitting: false,
    ...over,
  };
}

export function inputForm(over: Partial<FormView> = {}): FormView {
  return {
    mode: 'input',
    header: '请留下您的手机号',
    items: [],
    selected: '',
    canSelect: false,
    placeholder: '请输入',
    submitted: false,
    submitting: false,
    submitText: '提交',
    submittedText: '',
    ...over,
  };
}

export function choiceForm(over: Partial<FormView> = {}): FormView {
  return {
    mode: 'choice',
    header: '请选择您的会员等级',
    items: [
      { content: '普通会员', desc: '', selected: false },
      { content: '金卡会员', desc: '享优先服务', selected: false },
    ],
    selected: '',
    canSelect: true,
    placeholder: '请输入',
    submitted: false,
    submitting: false,
    submitText: '提交',
    submittedText: '',
    ...over,
  };
}

export function taskForm(over: Partial<TaskFormView> = {}): TaskFormView {
  return {
    tip: '请填写报修信息',
    editable: true,
    submitted: false,
    submitting: false,
    submitText: '提交',
    submittedText: '',
    fields: [
      {
        name: '姓名',
        formType: 'input',
        placeholder: '请输入姓名',
        required: true,
        value: '',
        choices: [],
        choiceIndex: -1,
        error: '',
      },
      {
        name: '设备类型',
        formType: 'choice',
        placeholder: '请选择',
        required: false,
        value: '空调',
        choices: ['空调', '冰箱', '洗衣机'],
        choiceIndex: 0,
        error: '',
      },
      {
        name: '城市',
        formType: 'choice',
        placeholder: '请选择',
        required: true,
        value: '',
        choices: ['北京', '上海', '广州', '深圳', '杭州', '成都', '武汉', '南京'],
        choiceIndex: -1,
        error: '',
      },
    ],
    ...over,
  };
}

export function cardView(over: Partial<CardView> = {}): CardView {
  return {
    header: '智能空调 KFR-35GW',
    desc: '1.5 匹 新一级能效',
    pic: 'https://example.com/p.png',
    url: 'https://example.com/item/35',
    customFields: [{ name: '价格', value: '¥2999' }],
    ...over,
  };
}

export function orderView(over: Partial<OrderView> = {}): OrderView {
  return {
    guide: '您是否要咨询以下订单？',
    name: '订单 202611050001',
    desc: '已发货',
    pic: 'https://example.com/o.png',
    customFields: [{ name: '物流', value: '顺丰 SF123' }],
    ...over,
  };
}

export function sessionView(over: Partial<SessionView> = {}): SessionView {
  return {
    isService: true,
    phase: 'bot',
    text: '智能客服为您服务',
    queuePosition: -1,
    agentName: '',
    typing: false,
    thinking: false,
    indicatorText: '',
    canTransfer: true,
    canRate: false,
    rateTarget: '',
    canEnd: false,
    canLeaveQueue: false,
    transferText: '转人工',
    rateText: '服务评价',
    endText: '结束会话',
    leaveQueueText: '退出排队',
    ...over,
  };
}

export function networkView(over: Partial<ChatView['network']> = {}): ChatView['network'] {
  return { state: 'online', visible: false, text: '', ...over };
}

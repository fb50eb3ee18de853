/**
 * The default service flow: a welcome with FAQ, a main menu that reaches every message kind the client
 * renders (forms, cards, rich text, streaming, task flow, tips) and a transfer to a human.
 * Override parts of it with a JSON file (`loadFlowFile`, env `TCCC_FLOW_FILE`).
 */
import type { FlowConfig } from './flow';

export const DEFAULT_FLOW: FlowConfig = {
  name: 'default',
  rating: {
    menuSendRuleFlag: 1 | 2 | 4,
    head: {
      zh: '感谢您使用我们的服务，请对此次服务进行评价！',
      en: 'Thank you for contacting us. Please rate this conversation.',
    },
    tail: {
      zh: '感谢您对此次服务作出评价，祝您生活愉快，再见！',
      en: 'Thanks for your feedback. Have a nice day!',
    },
    options: [
      { id: '101', content: { zh: '非常不满意', en: 'Very dissatisfied' } },
      { id: '102', content: { zh: '不满意', en: 'Dissatisfied' } },
      { id: '103', content: { zh: '一般', en: 'Neutral' } },
      { id: '104', content: { zh: '满意', en: 'Satisfied' } },
      { id: '105', content: { zh: '非常满意', en: 'Very satisfied' } },
    ],
    effectiveHour: 12,
  },
  welcome: {
    style: 'robot-welcome',
    title: {
      zh: '您好，我是智能客服小T，猜您想问：',
      en: 'Hi, I am T, your virtual assistant. You may want to ask:',
    },
    items: [
      {
        content: { zh: '如何申请退货？', en: 'How do I return an item?' },
        answer: {
          zh: '在「我的订单」中选择商品，点击「申请售后」即可，签收后 7 天内支持无理由退货。',
          en: 'Open "My orders", pick the item and tap "After-sales". Returns are free within 7 days of delivery.',
        },
      },
      {
        content: { zh: '多久可以发货？', en: 'When will my order ship?' },
        answer: {
          zh: '现货商品 48 小时内发货，预售商品以商品页说明为准。',
          en: 'In-stock items ship within 48 hours; pre-orders ship as stated on the product page.',
        },
      },
      {
        content: { zh: '支持哪些支付方式？', en: 'Which payment methods are accepted?' },
        answer: {
          zh: '支持微信支付、银行卡支付和企业对公转账。',
          en: 'WeChat Pay, bank cards and corporate bank transfer.',
        },
      },
      {
        content: { zh: '如何开具发票？', en: 'How do I get an invoice?' },
        answer: {
          zh: '订单完成后，在订单详情页点击「申请发票」，电子发票 1 个工作日内发送。',
          en: 'After the order completes, tap "Request invoice" on the order page; e-invoices arrive within 1 working day.',
        },
      },
      {
        content: { zh: '会员积分怎么使用？', en: 'How do I use member points?' },
        answer: {
          zh: '结算时勾选「积分抵扣」，100 积分可抵 1 元。',
          en: 'Tick "Use points" at checkout: 100 points = ¥1.',
        },
      },
      {
        content: { zh: '怎么修改收货地址？', en: 'How do I change the delivery address?' },
        answer: {
          zh: '发货前可在订单详情页修改地址，发货后请联系人工客服。',
          en: 'Change it on the order page before shipping; after shipping please ask a human agent.',
        },
      },
      {
        content: { zh: '客服工作时间？', en: 'What are your service hours?' },
        answer: {
          zh: '人工客服工作时间为每天 9:00-21:00，智能客服全天在线。',
          en: 'Human agents: 9:00-21:00 daily. The virtual assistant is always on.',
        },
      },
    ],
  },
  startNode: 'main-menu',
  nodes: {
    'main-menu': {
      type: 'menu',
      header: { zh: '请选择您要咨询的业务：', en: 'What can I help you with?' },
      tail: {
        zh: '也可以直接输入问题，或回复「人工」转人工客服',
        en: 'You can also type a question, or "human" for an agent',
      },
      items: [
        {
          content: { zh: '查看商品', en: 'Products' },
          desc: { zh: '热销商品推荐', en: 'Best sellers' },
          next: 'product',
        },
        {
          content: { zh: '查询订单', en: 'My order' },
          desc: { zh: '最近一笔订单', en: 'Latest order' },
          next: 'order',
        },
        {
          content: { zh: '售后服务', en: 'After-sales' },
          desc: { zh: '退货、换货、维修', en: 'Return, exchange, repair' },
          next: 'after-sales',
        },
        {
          content: { zh: '使用指南', en: 'User guide' },
          desc: { zh: '图文说明', en: 'Illustrated guide' },
          next: 'guide',
        },
        {
          content: { zh: '智能问答', en: 'Ask the assistant' },
          desc: { zh: '流式回答演示', en: 'Streaming answer' },
          next: 'stream',
        },
        {
          content: { zh: '预约服务', en: 'Book a service' },
          desc: { zh: '上门安装或到店自提', en: 'Installation or pickup' },
          next: 'booking',
        },
        {
          content: { zh: '服务须知', en: 'Notice' },
          desc: { zh: '服务时间与说明', en: 'Hours and policies' },
          next: 'notice',
        },
        {
          content: { zh: '转人工', en: 'Human agent' },
          desc: { zh: '人工客服为您服务', en: 'Talk to a person' },
          next: 'human',
        },
      ],
    },
    product: {
      type: 'product-card',
      header: { zh: 'TCCC 智能音箱 X1', en: 'TCCC Smart Speaker X1' },
      desc: { zh: '¥299.00 · 限时包邮', en: '¥299.00 · free shipping' },
      pic: '{assets}/product.svg',
      url: 'https://cloud.tencent.com/product/ccc',
      customField: [
        { name: { zh: '库存', en: 'Stock' }, value: { zh: '有货', en: 'In stock' } },
        { name: { zh: '颜色', en: 'Colour' }, value: { zh: '星空灰', en: 'Space grey' } },
      ],
    },
    order: {
      type: 'order-card',
      guide: { zh: '您最近的订单：', en: 'Your latest order:' },
      name: { zh: '订单号 202405200001', en: 'Order 202405200001' },
      desc: { zh: 'TCCC 智能音箱 X1 ×1 · 已发货', en: 'TCCC Smart Speaker X1 ×1 · shipped' },
      pic: '{assets}/order.svg',
      customField: [
        {
          name: { zh: '物流', en: 'Carrier' },
          value: { zh: '顺丰 SF1234567890', en: 'SF Express SF1234567890' },
        },
        { name: { zh: '实付', en: 'Paid' }, value: '¥299.00' },
      ],
    },
    'after-sales': {
      type: 'choice-form',
      header: { zh: '请选择售后类型', en: 'Which after-sales service do you need?' },
      saveAs: 'serviceType',
      items: [
        { content: { zh: '退货', en: 'Return' }, next: 'after-sales-order' },
        { content: { zh: '换货', en: 'Exchange' }, next: 'after-sales-order' },
        { content: { zh: '维修', en: 'Repair' }, next: 'after-sales-order' },
      ],
    },
    'after-sales-order': {
      type: 'input-form',
      header: { zh: '请输入您的订单号', en: 'Please enter your order number' },
      saveAs: 'orderNo',
      next: 'after-sales-done',
    },
    'after-sales-done': {
      type: 'text',
      messageType: 'standardTaskFlowReplyMessage',
      text: {
        zh: '已为您登记「{serviceType}」申请，订单号 {orderNo}，专员将在 24 小时内联系您。回复「菜单」查看更多服务。',
        en: 'Your "{serviceType}" request for order {orderNo} is registered; we will contact you within 24 hours. Reply "menu" for more.',
      },
    },
    guide: {
      type: 'rich-text',
      content: {
        zh: '## 使用指南\n\n1. 长按音箱顶部按键 **3 秒** 进入配网模式；\n2. 打开小程序，按提示连接 Wi-Fi；\n3. 说「你好小T」开始使用。\n\n![配网示意图]({assets}/guide.svg)\n\n更多说明请查看[帮助中心](https://cloud.tencent.com/document/product/679)。',
        en: '## User guide\n\n1. Hold the top button for **3 seconds** to enter pairing mode;\n2. Open the mini program and connect to Wi-Fi;\n3. Say "Hi T" to start.\n\n![Pairing]({assets}/guide.svg)\n\nSee the [help centre](https://cloud.tencent.com/document/product/679) for more.',
      },
    },
    stream: {
      type: 'stream-text',
      chunks: {
        zh: [
          '腾讯云联络中心（TCCC）',
          '是一站式的智能客服平台，',
          '支持电话、在线客服',
          '和智能机器人。',
          '在线客服通过即时通信 IM 与用户沟通，',
          '机器人可以按会话服务流自动应答，',
          '需要时一键转接人工坐席。',
        ],
        en: [
          'Tencent Cloud Contact Center (TCCC) ',
          'is an all-in-one customer service platform ',
          'for phone, online chat ',
          'and chatbots. ',
          'Online chat reaches users through Tencent Cloud Chat; ',
          'the bot answers following the service flow, ',
          'and hands over to a human agent when needed.',
        ],
      },
    },
    booking: {
      type: 'task-branch',
      header: { zh: '请选择预约类型', en: 'Choose a booking type' },
      tail: { zh: '选择后请填写预约信息', en: 'Then fill in the details' },
      optionType: 1,
      taskInfo: { taskID: 1001, nodeID: 'node-booking-type', env: 'prod' },
      saveAs: 'bookingType',
      items: [
        { content: { zh: '上门安装', en: 'Home installation' }, next: 'booking-form' },
        { content: { zh: '到店自提', en: 'In-store pickup' }, next: 'booking-form' },
      ],
    },
    'booking-form': {
      type: 'task-form',
      tip: { zh: '请填写预约信息', en: 'Please fill in the booking details' },
      fields: [
        {
          name: 'name',
          label: { zh: '姓名', en: 'Name' },
          formType: 0,
          required: true,
          placeholder: { zh: '请输入姓名', en: 'Your name' },
        },
        {
          name: 'slot',
          label: { zh: '预约时段', en: 'Time slot' },
          formType: 1,
          required: true,
          options: { zh: ['上午', '下午', '晚上'], en: ['Morning', 'Afternoon', 'Evening'] },
        },
        {
          name: 'note',
          label: { zh: '备注', en: 'Note' },
          formType: 0,
          required: false,
          placeholder: { zh: '选填', en: 'Optional' },
        },
      ],
      next: 'booking-done',
    },
    'booking-done': {
      type: 'text',
      messageType: 'standardTaskFlowReplyMessage',
      text: {
        zh: '预约成功：{bookingType}，{name}，{slot}。我们会按时为您服务。',
        en: 'Booked: {bookingType}, {name}, {slot}. See you then.',
      },
    },
    notice: {
      type: 'tips',
      content: {
        zh: '温馨提示：人工客服工作时间为每天 9:00-21:00，非工作时间可留言，我们会尽快回复。',
        en: 'Note: human agents work 9:00-21:00 daily. Outside those hours leave a message and we will reply soon.',
      },
    },
    human: { type: 'transfer' },
  },
  keywords: {
    transfer: ['人工', '转人工', '人工服务', '人工客服', 'human', 'agent', 'human agent'],
    menu: ['菜单', '主菜单', 'menu'],
  },
  agents: ['小王', '小李', '小张'],
  agentCards: {
    product: 'product',
    order: 'order',
    rich: 'guide',
    stream: 'stream',
    form: 'after-sales',
    branch: 'main-menu',
  },
  texts: {
    fallback: {
      zh: '抱歉，我没有理解您的问题。您可以换个说法，或从下面的菜单中选择：',
      en: "Sorry, I didn't get that. Try rephrasing, or pick from the menu below:",
    },
    connectingToAgent: {
      zh: '正在为您转接人工客服，请稍候…',
      en: 'Connecting you to a human agent…',
    },
    queuing: {
      zh: '您前面还有 {ahead} 人，请耐心等待',
      en: '{ahead} people ahead of you, please wait',
    },
    queuingFirst: {
      zh: '您已排在第 1 位，客服马上为您服务',
      en: 'You are next in line, an agent will be with you shortly',
    },
    connectedToAgent: { zh: '客服 {agent} 为您服务', en: 'Agent {agent} is now serving you' },
    noAgentOnline: {
      zh: '抱歉，当前没有客服在线，请稍后再试或留言。',
      en: 'Sorry, no agent is online right now. Please try later or leave a message.',
    },
    offHours: {
      zh: '您好，现在是非工作时间（工作时间 9:00-21:00），请留言，我们上班后会第一时间回复您。',
      en: 'We are outside service hours (9:00-21:00). Leave a message and we will reply as soon as we are back.',
    },
    timeoutAutoClosure: {
      zh: '由于您长时间未回复，本次会话已自动结束。',
      en: 'This conversation was closed because there was no reply for a while.',
    },
    agentClosure: {
      zh: '客服已结束本次会话，感谢您的咨询。',
      en: 'The agent has ended this conversation. Thank you.',
    },
    userClosure: { zh: '您已结束本次人工服务。', en: 'You ended the conversation with the agent.' },
    queueLeft: { zh: '您已退出排队。', en: 'You left the queue.' },
    inputReceived: { zh: '已收到：{input}', en: 'Received: {input}' },
    taskFormMissing: { zh: '请填写必填项：{fields}', en: 'Please fill in: {fields}' },
    ratingRefused: {
      '10150': { zh: '评价已过期，无法提交。', en: 'This rating has expired.' },
      '10151': { zh: '评价数据有误，请重试。', en: 'The rating data is invalid.' },
      '10152': {
        zh: '您已评价过本次服务，请勿重复提交。',
        en: 'You have already rated this conversation.',
      },
      '10153': {
        zh: '系统繁忙，请稍后再试。',
        en: 'Something went wrong, please try again later.',
      },
      '10154': {
        zh: '当前没有可评价的人工会话。',
        en: 'There is no agent conversation to rate yet.',
      },
    },
  },
};

/** Strings of the three pages. `en` is typed against `zh`, so a missing translation fails the type check. */
export const zh = {
  'login.title': '在线客服',
  'login.subtitle': '登录后即可联系客服',
  'login.button': '微信一键登录',
  'login.button.aria': '使用微信账号登录',
  'conversations.title': '消息',
  'conversations.empty': '暂无会话',
  'chat.title': '在线客服',
};

export const en: Record<keyof typeof zh, string> = {
  'login.title': 'Customer Service',
  'login.subtitle': 'Log in to contact customer service',
  'login.button': 'Log in with WeChat',
  'login.button.aria': 'Log in with your WeChat account',
  'conversations.title': 'Messages',
  'conversations.empty': 'No conversations yet',
  'chat.title': 'Customer Service',
};

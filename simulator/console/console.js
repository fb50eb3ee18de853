// Agent console: plain browser script, no build step. Live session list over server-sent events
// (polling if EventSource is missing); every user-provided string goes through textContent.
(function () {
  'use strict';

  var STATE_LABELS = { queued: '排队中', active: '服务中', bot: '机器人接待', ended: '已结束' };
  var FROM_LABELS = { user: '用户', robot: '机器人', seat: '坐席', system: '系统' };
  var TYPING_THROTTLE_MS = 2000;
  var ERROR_TEXT = {
    'not-found': '找不到该会话',
    'bad-state': '当前会话状态不支持该操作',
    'bad-request': '请求有误',
  };
  var RATING_TEXT = {
    10150: '评价已过期',
    10151: '评价数据有误',
    10152: '用户已评价过本次服务',
    10153: '系统繁忙，请稍后再试',
    10154: '没有可评价的人工会话',
  };

  function errorText(error) {
    if (!error) return '操作失败';
    if (error.ratingCode && RATING_TEXT[error.ratingCode]) {
      return '无法邀请评价：' + RATING_TEXT[error.ratingCode] + '（' + error.ratingCode + '）';
    }
    return (ERROR_TEXT[error.code] || '操作失败') + (error.message ? '：' + error.message : '');
  }

  var sessions = [];
  var selectedKey = null;
  var shownCount = -1;
  var requestedCount = -1;
  var lastTypingAt = 0;

  var el = function (id) {
    return document.getElementById(id);
  };
  var agentName = el('agent-name');
  var connection = el('connection');
  var transcript = el('transcript');
  var reply = el('reply');
  var notice = el('notice');

  function keyOf(session) {
    return session.serviceAccount + '\n' + session.userID;
  }

  function selected() {
    for (var i = 0; i < sessions.length; i += 1) {
      if (keyOf(sessions[i]) === selectedKey) return sessions[i];
    }
    return null;
  }

  function clock(ms) {
    var date = new Date(ms);
    var pad = function (n) {
      return (n < 10 ? '0' : '') + n;
    };
    return pad(date.getHours()) + ':' + pad(date.getMinutes()) + ':' + pad(date.getSeconds());
  }

  function make(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function renderList() {
    var lists = document.querySelectorAll('.session-list');
    var counts = { queued: 0, active: 0, bot: 0, ended: 0 };
    lists.forEach(function (list) {
      list.textContent = '';
    });
    sessions.forEach(function (session) {
      counts[session.state] = (counts[session.state] || 0) + 1;
      var list = document.querySelector('.session-list[data-state="' + session.state + '"]');
      if (!list) return;
      var item = make('li');
      var button = make('button', 'session');
      button.type = 'button';
      button.setAttribute('aria-current', keyOf(session) === selectedKey ? 'true' : 'false');
      var top = make('div', 'session-top');
      var dot = make('span', 'dot' + (session.online ? ' online' : ''));
      dot.title = session.online ? '在线' : '离线';
      top.appendChild(dot);
      top.appendChild(make('span', 'session-user', session.userID));
      if (session.userNick) top.appendChild(make('span', 'session-nick', session.userNick));
      if (session.state === 'queued') {
        top.appendChild(make('span', 'badge queued', '前面 ' + session.queueAhead + ' 人'));
      }
      top.appendChild(make('span', 'session-time', clock(session.updatedAt)));
      button.appendChild(top);
      var last = session.lastMessage;
      var summary = last ? FROM_LABELS[last.from] + '：' + last.text : '（暂无消息）';
      button.appendChild(make('div', 'session-last', summary));
      button.setAttribute(
        'aria-label',
        session.userID +
          '，' +
          STATE_LABELS[session.state] +
          '，' +
          (session.online ? '在线' : '离线') +
          '，' +
          summary,
      );
      button.addEventListener('click', function () {
        select(keyOf(session));
      });
      item.appendChild(button);
      list.appendChild(item);
    });
    Object.keys(counts).forEach(function (state) {
      var badge = document.querySelector('[data-count="' + state + '"]');
      if (badge) badge.textContent = String(counts[state]);
    });
  }

  function renderDetail() {
    var session = selected();
    el('empty').hidden = Boolean(session);
    el('detail').hidden = !session;
    if (!session) return;
    el('conversation-title').textContent = session.userID;
    var avatar = el('conversation-avatar');
    var picture = session.userAvatar && sameOriginPath(session.userAvatar, true);
    avatar.hidden = !picture;
    if (picture) avatar.src = picture;
    var meta = [session.serviceNick || session.serviceAccount, session.online ? '在线' : '离线'];
    if (session.userNick) meta.unshift('昵称 ' + session.userNick);
    if (session.skillGroup) meta.push('技能组 ' + session.skillGroup);
    if (session.agentName) meta.push('坐席 ' + session.agentName);
    if (session.rating) meta.push('评价：' + session.rating.content);
    el('conversation-meta').textContent = meta.join(' · ');
    var badge = el('conversation-state');
    badge.className = 'badge ' + session.state;
    badge.textContent =
      STATE_LABELS[session.state] +
      (session.state === 'queued' ? '（前面 ' + session.queueAhead + ' 人）' : '');

    var active = session.state === 'active';
    el('btn-accept').disabled = !(session.state === 'queued' || session.state === 'bot');
    document.querySelectorAll('[data-card]').forEach(function (button) {
      button.disabled = !active;
    });
    el('card-kind').disabled = !active;
    el('btn-card').disabled = !active;
    el('btn-rating').disabled = !(active || session.state === 'ended');
    el('btn-end').disabled = session.state === 'ended';
    reply.disabled = !active;
    el('btn-send').disabled = !active;
    reply.placeholder = active ? '输入回复，Enter 发送，Shift+Enter 换行' : '接入会话后才能回复';
    if (session.messageCount !== shownCount && session.messageCount !== requestedCount) {
      loadTranscript(session);
    }
  }

  /** Uploaded pictures are served here (`/files/...`); anything else stays a text (CSP: img 'self'). */
  function sameOriginPath(url, avatar) {
    try {
      var parsed = new URL(url, location.href);
      if (avatar && parsed.protocol === 'data:' && /^data:image\/(png|jpeg|gif|webp);/.test(url))
        return url;
      return /^\/files\/[a-f0-9]{24}\.(png|jpe?g|gif|webp)$/.test(parsed.pathname)
        ? parsed.pathname
        : '';
    } catch {
      return '';
    }
  }

  function renderTranscript(messages) {
    var atBottom = transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 40;
    transcript.textContent = '';
    messages.forEach(function (entry) {
      var item = make('li', 'entry ' + entry.from);
      item.appendChild(
        make('span', 'entry-meta', FROM_LABELS[entry.from] + ' · ' + clock(entry.time)),
      );
      var picture = entry.image && sameOriginPath(entry.image);
      if (picture) {
        var img = make('img', 'entry-image');
        img.src = picture;
        img.alt = entry.text;
        img.loading = 'lazy';
        item.appendChild(img);
      } else {
        item.appendChild(make('div', 'entry-text' + (entry.revoked ? ' revoked' : ''), entry.text));
      }
      if (entry.revocable) {
        var revoke = make('button', 'entry-revoke', '撤回');
        revoke.type = 'button';
        revoke.setAttribute('aria-label', '撤回这条消息');
        revoke.addEventListener('click', function () {
          act('revoke', { seq: entry.seq });
        });
        item.appendChild(revoke);
      }
      transcript.appendChild(item);
    });
    if (atBottom || shownCount < 0) transcript.scrollTop = transcript.scrollHeight;
  }

  function loadTranscript(session) {
    var key = keyOf(session);
    var count = session.messageCount;
    requestedCount = count;
    var query =
      '?userID=' +
      encodeURIComponent(session.userID) +
      '&serviceAccount=' +
      encodeURIComponent(session.serviceAccount);
    fetch('/api/agent/transcript' + query)
      .then(function (response) {
        return response.json();
      })
      .then(function (body) {
        if (key !== selectedKey || !body.ok) return;
        renderTranscript(body.messages);
        shownCount = count;
      })
      .catch(function () {
        show('读取消息失败');
      });
  }

  function select(key) {
    if (key !== selectedKey) {
      selectedKey = key;
      shownCount = -1;
      requestedCount = -1;
      transcript.textContent = '';
      show('');
    }
    renderList();
    renderDetail();
  }

  function update(list) {
    sessions = list;
    if (selectedKey === null && sessions.length > 0) {
      var waiting = sessions.filter(function (session) {
        return session.state === 'queued';
      });
      selectedKey = keyOf(waiting[0] || sessions[0]);
    }
    renderList();
    renderDetail();
  }

  function show(text) {
    notice.textContent = text;
  }

  function act(action, extra) {
    var session = selected();
    if (!session) return Promise.resolve(false);
    var body = { userID: session.userID, serviceAccount: session.serviceAccount };
    Object.keys(extra || {}).forEach(function (key) {
      body[key] = extra[key];
    });
    return fetch('/api/agent/' + action, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
      .then(function (response) {
        return response.json();
      })
      .then(function (result) {
        if (!result.ok) show(errorText(result.error));
        else if (action !== 'typing') show('');
        return Boolean(result.ok);
      })
      .catch(function () {
        show('无法连接模拟器');
        return false;
      });
  }

  el('btn-accept').addEventListener('click', function () {
    act('accept', { agentName: agentName.value.trim() });
  });
  document.querySelectorAll('[data-card]').forEach(function (button) {
    button.addEventListener('click', function () {
      act('card', { kind: button.getAttribute('data-card') });
    });
  });
  el('btn-card').addEventListener('click', function () {
    act('card', { kind: el('card-kind').value });
  });
  el('btn-rating').addEventListener('click', function () {
    act('rating');
  });
  el('btn-end').addEventListener('click', function () {
    act('end');
  });

  function sendReply() {
    var text = reply.value.trim();
    if (!text) return;
    act('reply', { text: text }).then(function (sent) {
      if (sent) reply.value = '';
    });
  }

  el('reply-form').addEventListener('submit', function (event) {
    event.preventDefault();
    sendReply();
  });
  reply.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      sendReply();
    }
  });
  reply.addEventListener('input', function () {
    var now = Date.now();
    if (!reply.value.trim() || now - lastTypingAt < TYPING_THROTTLE_MS) return;
    lastTypingAt = now;
    act('typing');
  });

  function setConnection(live) {
    connection.textContent = live ? '实时' : '重连中…';
    connection.className = 'connection' + (live ? ' live' : '');
  }

  function poll() {
    fetch('/api/agent/sessions')
      .then(function (response) {
        return response.json();
      })
      .then(function (body) {
        setConnection(true);
        update(body.sessions);
      })
      .catch(function () {
        setConnection(false);
      });
  }

  if (typeof EventSource === 'function') {
    var events = new EventSource('/api/agent/events');
    events.addEventListener('sessions', function (event) {
      setConnection(true);
      update(JSON.parse(event.data).sessions);
    });
    events.addEventListener('error', function () {
      setConnection(false);
    });
  } else {
    poll();
    setInterval(poll, 2000);
  }
})();

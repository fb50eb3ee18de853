import { createScrollFollow } from '../../../miniprogram/core/chat/scroll-follow';

const msg = (key: string, isMine = false) => ({ key, isMine });
const at = (scrollTop: number, scrollHeight = 2000, viewportHeight = 600) => ({
  scrollTop,
  scrollHeight,
  viewportHeight,
});

describe('scroll follow', () => {
  it('at the bottom, follows every change of the list, also the newest message growing', () => {
    const follow = createScrollFollow(80);
    expect(follow.listChanged([msg('a')])).toEqual({
      atBottom: true,
      pill: false,
      scrollToBottom: true,
    });
    // The same message, a new view (a streamed chunk): still followed.
    expect(follow.listChanged([msg('a')]).scrollToBottom).toBe(true);
    // A message above the newest one grew (a rating's thank-you line): followed too.
    expect(follow.listChanged([msg('a'), msg('b')]).scrollToBottom).toBe(true);
  });

  it('the same list array again is no change', () => {
    const follow = createScrollFollow(80);
    const list = [msg('a')];
    follow.listChanged(list);
    expect(follow.listChanged(list).scrollToBottom).toBe(false);
  });

  it('scrolled up, a new incoming message raises the pill instead of a jump; growth does not jump', () => {
    const follow = createScrollFollow(80);
    follow.listChanged([msg('a')]);
    follow.scrolled(at(1400));
    expect(follow.scrolled(at(1000))).toMatchObject({ atBottom: false, pill: false });
    const grown = follow.listChanged([msg('a')]);
    expect(grown).toEqual({ atBottom: false, pill: false, scrollToBottom: false });
    const fresh = follow.listChanged([msg('a'), msg('b')]);
    expect(fresh).toEqual({ atBottom: false, pill: true, scrollToBottom: false });
    // The new message streams on: the pill stays, still no jump.
    expect(follow.listChanged([msg('a'), msg('b')])).toEqual({
      atBottom: false,
      pill: true,
      scrollToBottom: false,
    });
  });

  it('the pill goes when the user scrolls back down or taps it', () => {
    const follow = createScrollFollow(80);
    follow.listChanged([msg('a')]);
    follow.scrolled(at(1400));
    follow.scrolled(at(100));
    follow.listChanged([msg('a'), msg('b')]);
    expect(follow.getState().pill).toBe(true);
    // Near but not within the threshold: still up.
    expect(follow.scrolled(at(1319))).toMatchObject({ atBottom: false, pill: true });
    expect(follow.scrolled(at(1320))).toMatchObject({ atBottom: true, pill: false });
    follow.scrolled(at(0));
    follow.listChanged([msg('a'), msg('b'), msg('c')]);
    expect(follow.follow()).toEqual({ atBottom: true, pill: false, scrollToBottom: true });
  });

  it("the user's own new message brings the list down even when scrolled up", () => {
    const follow = createScrollFollow(80);
    follow.listChanged([msg('a')]);
    follow.scrolled(at(1400));
    follow.scrolled(at(0));
    expect(follow.listChanged([msg('a'), msg('mine', true)])).toEqual({
      atBottom: true,
      pill: false,
      scrollToBottom: true,
    });
  });

  it('leaving for a card up the list stops following until the user is back', () => {
    const follow = createScrollFollow(80);
    follow.listChanged([msg('a')]);
    expect(follow.leave()).toMatchObject({ atBottom: false, scrollToBottom: false });
    expect(follow.listChanged([msg('a')]).scrollToBottom).toBe(false);
    expect(follow.listChanged([msg('a'), msg('b')]).pill).toBe(true);
  });

  it('content that grew before the scroll caught up does not count as scrolling up', () => {
    const follow = createScrollFollow(80);
    follow.listChanged([msg('a')]);
    follow.scrolled(at(1400));
    // 500 px grew below; the list did not move up: still at the bottom, still followed.
    expect(follow.scrolled(at(1400, 2500)).atBottom).toBe(true);
    expect(follow.listChanged([msg('a')]).scrollToBottom).toBe(true);
    // A move up by the user leaves it.
    expect(follow.scrolled(at(1300, 2500)).atBottom).toBe(false);
  });

  it('ignores a scroll event without numbers', () => {
    const follow = createScrollFollow(80);
    expect(follow.scrolled(at(Number.NaN)).atBottom).toBe(true);
  });
});

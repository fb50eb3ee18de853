/** The one call of Tencent's `tls-sig-api-v2` (untyped CommonJS) the server uses. */
declare module 'tls-sig-api-v2/TLSSigAPIv2.js' {
  export class Api {
    constructor(sdkAppID: number, secretKey: string);
    /** A TLS v2 UserSig for `userID`, issued now (Date.now), valid `expireSeconds`. */
    genUserSig(userID: string, expireSeconds: number): string;
  }
}

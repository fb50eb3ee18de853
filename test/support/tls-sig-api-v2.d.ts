/** Types for the official UserSig library (used in tests only, to cross-check the simulator). */
declare module 'tls-sig-api-v2' {
  export class Api {
    constructor(sdkAppID: number, secretKey: string);
    genUserSig(userID: string, expireSeconds: number): string;
  }
}

// The time port: every expiry, window and lockout reads the time from here.

export interface Clock {
  now(): Date;
}

export interface Principal {
  userId: string;
  email: string;
  sessionId: string;
}

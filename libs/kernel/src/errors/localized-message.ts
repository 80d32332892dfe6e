/** A message a person reads: Japanese first, English beside it. */
export interface LocalizedMessage {
  ja: string;
  en: string;
}

import { extractText } from 'unpdf';

/** The text of a PDF, all pages joined (read with unpdf: no poppler-utils needed). */
export async function pdfText(pdf: Buffer): Promise<string> {
  const { text } = await extractText(new Uint8Array(pdf), { mergePages: true });
  return text;
}

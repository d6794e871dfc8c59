import { execFileSync } from 'node:child_process';

/** Whether poppler-utils (pdftoppm, pdftotext, pdffonts) are installed: the PDF checks need them. */
export const HAS_POPPLER = (() => {
  try {
    execFileSync('pdftoppm', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

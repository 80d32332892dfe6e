import { publishBlocker } from './procedure-drafts.service';

/** The rule both the publish call and the pages that offer the button follow. */
describe('publishBlocker', () => {
  const dryRun = (matchesText: boolean, baseVersion: number | null) => ({ matchesText, baseVersion });

  it('allows publishing only after a dry run of exactly the current text against the version published now', () => {
    expect(publishBlocker({ publishedVersion: null, dryRun: dryRun(true, 1) }, 1)).toBeNull();
    expect(publishBlocker({ publishedVersion: null, dryRun: dryRun(true, null) }, null)).toBeNull();
  });

  it('names the reason otherwise, the draft being published first', () => {
    expect(publishBlocker({ publishedVersion: 2, dryRun: dryRun(true, 1) }, 2)).toBe('published');
    expect(publishBlocker({ publishedVersion: null, dryRun: null }, 1)).toBe('none');
    expect(publishBlocker({ publishedVersion: null, dryRun: dryRun(false, 1) }, 1)).toBe('textChanged');
    expect(publishBlocker({ publishedVersion: null, dryRun: dryRun(true, 1) }, 2)).toBe('baseChanged');
    expect(publishBlocker({ publishedVersion: null, dryRun: dryRun(true, null) }, 1)).toBe('baseChanged');
  });
});

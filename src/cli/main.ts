// Placeholder replaced by the CLI shell (commander) in the same change series.
export async function main(argv: string[]): Promise<void> {
  console.log('oss-pai-sync', argv.slice(2).join(' '));
}

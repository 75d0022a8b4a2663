// Filling the whole questionnaire through the UI, as an enumerator would: shared by the
// form and export tests.
import * as family from './family.mjs';

/** A JPEG larger than the app keeps (2000 × 1500), drawn by the browser itself. */
export async function bigJpeg(page) {
  const base64 = await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 2000;
    canvas.height = 1500;
    const g = canvas.getContext('2d');
    for (let i = 0; i < 40; i += 1) {
      g.fillStyle = `hsl(${i * 9}, 60%, 50%)`;
      g.fillRect(i * 50, 0, 50, 1500);
    }
    return canvas.toDataURL('image/jpeg', 0.9).split(',')[1];
  });
  return Buffer.from(base64, 'base64');
}

/**
 * The example family, typed in. Options for a campaign visit: `prefilled` (the form came
 * prefilled from a prelist: its prelist fields are left alone and the members' rows are
 * there already, each answered again), `listed: false` (a new family: no prelist id), and
 * `status` (the verification outcome, 2 by default).
 */
export async function fillCompleteFamily(page, form, context, baseUrl, { prefilled = false, listed = true, status = '2' } = {}) {
  const ownPrelist = listed && !prefilled;
  await form.answer(ownPrelist ? family.SECTION_A : family.SECTION_A.filter(([, field]) => !field.startsWith('prelist_')));
  await form.section('B');
  await form.answer(family.SECTION_B);
  await form.section('C');
  await form.answer([['choose', 'status_verifikasi', status]]);
  await form.section('A');
  await form.answer(family.SECTION_A_FOUND);
  // The house location, from the phone's GPS (emulated), with its accuracy shown.
  await context.grantPermissions(['geolocation'], { origin: baseUrl });
  await context.setGeolocation({ latitude: -7.7543, longitude: 113.2159, accuracy: 12 });
  await page.getByTestId('take-location').click();
  await page.locator('[data-testid=geopoint-lokasi_rumah]:text-matches("± 12 m")').waitFor();

  await form.section('D');
  for (const [i, member] of family.MEMBERS.entries()) {
    if (prefilled) await form.openRow('art', i);
    else await form.addRow('art');
    await form.answer(member);
  }
  await form.section('E');
  await form.answer(family.SECTION_E);
  await form.addRow('daya_listrik');
  await form.answer(family.METER);
  await form.answer(family.SECTION_E_AFTER_METER);
  await form.section('F');
  await form.answer(family.SECTION_F);
  await form.section('G');
  await form.answer(family.SECTION_G);
  for (const aid of family.AID) {
    await form.addRow('bantuan');
    await form.answer(aid);
  }
  await form.section('H');
  await form.answer(family.SECTION_H);
  await form.section('I');
  await form.answer(family.SECTION_I);
  await page.locator('input[name=foto_rumah_depan]').setInputFiles({
    name: 'rumah.jpg',
    mimeType: 'image/jpeg',
    buffer: await bigJpeg(page),
  });
  await page.locator('[data-testid=photo-size-foto_rumah_depan]:text-matches("KB")').waitFor();
}


// The campaign page in the enumerator's terms, shared by the campaign tests.
import { HouseholdForm } from './app.mjs';

/** A listed family's card on the campaign page. */
export function listedFamily(page, id) {
  return page.locator(`[data-testid=campaign-family][data-prelist-id="${id}"]`);
}

/** Opens the campaign page served at `baseUrl`, once its assignment panel is there. */
export async function openCampaign(page, baseUrl) {
  await page.goto(`${baseUrl}/kampanye.html`);
  await page.getByTestId('assignment-panel').waitFor();
}

/** Opens a listed family's visit from the campaign page; the form it lands on. */
export async function openVisit(page, id) {
  await listedFamily(page, id).getByTestId('visit-family').click();
  await page.waitForURL(/keluarga\.html#/);
  const form = new HouseholdForm(page);
  await form.waitOpen();
  return form;
}

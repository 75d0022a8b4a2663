// "Salin" buttons on the district pages (issue #24): copies the value a button carries, for
// re-keying a family into SIKS-NG field by field. The district pages' only script, served by
// the hub itself (`script-src 'self'`); the pages work without it, the values stay on screen.
document.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-copy]');
  if (!button) return;
  navigator.clipboard.writeText(button.dataset.copy).then(
    () => {
      button.textContent = 'Tersalin';
      button.dataset.copied = 'true';
    },
    () => {
      button.textContent = 'Gagal menyalin';
    },
  );
});

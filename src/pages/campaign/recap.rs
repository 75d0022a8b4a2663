//! The village recap for the Berita Acara Musdes: how many listed families were verified,
//! by outcome and by recommendation, ready to print (the print stylesheet shows only this).

use crate::components::{tr, tr_message};
use crate::storage::AssignmentInfo;
use leptos::prelude::*;
use verval_core::campaign::progress::VillageRecap;
use verval_core::form::default::STATUS_VERIFIKASI;
use verval_core::text::Message;
use verval_core::{Lang, Text};

fn print() {
    if let Some(window) = web_sys::window() {
        let _ = window.print();
    }
}

#[component]
pub fn VillageRecapView(
    recap: VillageRecap,
    info: Option<AssignmentInfo>,
    #[prop(into)] lang: Signal<Lang>,
) -> impl IntoView {
    let p = recap.progress.clone();
    let title = Message::new(
        format!("Rekap verifikasi dan validasi · Desa/Kelurahan {}", p.kode_desa),
        format!("Verification recap · village {}", p.kode_desa),
    );
    let source = info.map(|i| {
        Message::new(
            format!("Sumber daftar: {} · Petugas: {}", i.hub, i.enumerator),
            format!("List from: {} · Enumerator: {}", i.hub, i.enumerator),
        )
    });
    let totals = Message::new(
        format!(
            "Keluarga dalam daftar: {} · selesai diverifikasi: {} · belum selesai: {} · keluarga baru diusulkan: {}",
            p.listed,
            p.selesai,
            p.sedang + p.belum,
            p.new_families
        ),
        format!(
            "Families listed: {} · verified: {} · not finished: {} · new families proposed: {}",
            p.listed,
            p.selesai,
            p.sedang + p.belum,
            p.new_families
        ),
    );
    let group_name = |group| {
        if group == STATUS_VERIFIKASI {
            Text::new("Status keberadaan keluarga", "Verification outcome")
        } else {
            Text::new("Rekomendasi", "Recommendation")
        }
    };
    view! {
        <section class="recap" data-testid="village-recap" data-desa=p.kode_desa.clone()>
            <h2>{tr_message(lang, title)}</h2>
            {source.map(|m| view! { <p>{tr_message(lang, m)}</p> })}
            <p data-testid="recap-totals">{tr_message(lang, totals)}</p>
            <table class="recap-table">
                <thead><tr>
                    <th>{tr(lang, Text::new("Kelompok", "Group"))}</th>
                    <th>{tr(lang, Text::new("Kode", "Code"))}</th>
                    <th>{tr(lang, Text::new("Keterangan", "Meaning"))}</th>
                    <th>{tr(lang, Text::new("Jumlah keluarga", "Families"))}</th>
                </tr></thead>
                <tbody>
                    {recap.lines.into_iter().map(|line| view! {
                        <tr data-testid="recap-line" data-group=line.group.to_string() data-code=line.code.clone()
                            data-count=line.families>
                            <td>{tr(lang, group_name(line.group))}</td>
                            <td>{line.code.clone()}</td>
                            <td>{line.label.clone()}</td>
                            <td>{line.families}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <div class="recap-signatures">
                <p>{tr(lang, Text::new("Petugas verifikasi", "Enumerator"))}<br/><br/><br/>"(........................)"</p>
                <p>{tr(lang, Text::new("Mengetahui, Kepala Desa/Lurah", "Acknowledged, village head"))}<br/><br/><br/>"(........................)"</p>
            </div>
            <button type="button" class="button no-print" data-testid="print-recap" on:click=move |_| print()>
                {tr(lang, Text::new("Cetak rekap", "Print the recap"))}
            </button>
        </section>
    }
}

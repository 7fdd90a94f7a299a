"""Functions that return plotly figures (no Streamlit here). Tests assert on ``fig.data``."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=15)
SERIES = {"kinerja": "#4575b4", "asesmen": "#fdae61"}


def _id(x: float) -> str:
    return f"{x:,.0f}".replace(",", ".")


def coverage_per_period(df: pd.DataFrame, title: str = "Data kinerja dan asesmen per tahun") -> go.Figure:
    """Grouped bars: employees with an SKP and with an assessment, per year."""
    fig = go.Figure()
    for col, label in (("kinerja", "Ada SKP (kinerja)"), ("asesmen", "Ada asesmen")):
        fig.add_bar(x=df["tahun"].astype(str), y=df[col], name=label, marker_color=SERIES[col],
                    text=[_id(v) for v in df[col]], textposition="outside",
                    hovertemplate="%{x}: %{text} pegawai<extra>" + label + "</extra>")
    fig.update_layout(title=title, barmode="group", font=FONT, separators=",.",
                      yaxis_title="Pegawai", yaxis_tickformat=",d", xaxis_title="Tahun penilaian", legend_orientation="h",
                      legend_y=-0.2, margin=dict(t=60, b=40, l=60, r=20), height=380)
    return fig

"""Made-up policy notices written as real files (HTML with site furniture, DOCX, PDF) for the ingest tests.

Each notice has measures, amounts, deadlines and responsible bureaus, in a different structure style:
the HTML one 一、/1. with '责任单位：' lines, the DOCX one English 'Article N' with 'Responsible:' lines,
the PDF one 第一章/第一条 with a trailing （…） list, running headers, page numbers and Kangxi radicals.
"""

from __future__ import annotations

from pathlib import Path

import pytest

HTML_PARAGRAPHS = [
    "京人社办发〔2025〕7号",
    "各区人力资源社会保障局，各有关单位：",
    "为加快人工智能训练师队伍建设，现就2025年人工智能训练师培训补贴工作通知如下。",
    "一、补贴对象和标准",
    "1.在本市注册的中小企业组织职工参加人工智能训练师培训并取得证书的，按每人4800元的标准给予培训补贴。",
    "责任单位：市人力资源社会保障局、市财政局",
    "2.取得人工智能训练师一级证书的职工，另给予一次性奖励1500元。",
    "牵头单位：市人力资源社会保障局；配合单位：市经济和信息化局、市算力调度中心",
    "二、申报时间",
    "1.人工智能训练师培训补贴申报截止日期为2025年9月30日，逾期不予受理。（市人力资源社会保障局）",
    "北京市人力资源和社会保障局",
    "2025年3月10日",
]
HTML_TITLE = "北京市人力资源和社会保障局关于开展2025年人工智能训练师培训补贴工作的通知"
# The English version of the same page, as government sites publish one: the same numbering, so the same ids.
HTML_EN_PARAGRAPHS = [
    "Jing Ren She Ban Fa [2025] No. 7",
    "To the district human resources and social security bureaus and all units concerned:",
    "To build up the ranks of AI trainers, the 2025 training subsidies for AI trainers are arranged as follows.",
    "I. Who is subsidised and how much",
    "1. A small or medium-sized enterprise registered in Beijing whose employees take AI trainer training and obtain the "
    "certificate receives a training subsidy of 4,800 yuan per person.",
    "Responsible: Beijing Municipal Human Resources and Social Security Bureau; Beijing Municipal Finance Bureau",
    "2. An employee who obtains the level-1 AI trainer certificate receives a further one-off award of 1,500 yuan.",
    "Lead unit: Beijing Municipal Human Resources and Social Security Bureau; Supporting units: Beijing Municipal Bureau of "
    "Economy and Information Technology; Beijing Municipal Computing Power Dispatch Center",
    "II. When to apply",
    "1. Applications for the AI trainer training subsidy close on September 30, 2025; late applications are not accepted. "
    "(Beijing Municipal Human Resources and Social Security Bureau)",
    "Beijing Municipal Human Resources and Social Security Bureau",
    "March 10, 2025",
]
HTML_EN_TITLE = "Notice of the Beijing Municipal Human Resources and Social Security Bureau on the 2025 Training Subsidies for AI Trainers"


def html_page(paragraphs: list[str] = HTML_PARAGRAPHS, title: str = HTML_TITLE) -> str:
    """A saved government page: header links, search box, breadcrumb, share bar, related links, footer."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    info = '<div class="info">发布时间：2025-03-12 <span class="share">分享到：微信 微博</span></div>'
    article = f'<div class="article"><h1>{title}</h1>{info}{body}</div>' if paragraphs else ""
    return (
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}_政策文件_首都之窗</title></head><body>'
        '<div class="header"><a href="/">首页</a> <a href="/zwgk">政务公开</a> <a href="/zcwj">政策文件</a>'
        '<form class="search"><input placeholder="请输入关键词"><button>搜索</button></form></div>'
        '<nav class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 政策文件</nav>'
        f"{article}"
        '<div class="related"><h3>相关链接</h3><ul><li><a href="/a">关于印发2024年培训计划的通知</a></li>'
        '<li><a href="/b">关于职业技能等级认定的通知</a></li></ul></div>'
        '<div class="footer">主办：北京市人民政府办公厅 | 京ICP备05060933号 | 网站标识码1100000088 <a href="/c">联系我们</a></div>'
        "</body></html>"
    )


DOCX_PARAGRAPHS = [
    "Notice on Subsidies for Data Annotation Engineers (2025)",
    "Beijing Municipal Human Resources and Social Security Bureau",
    "To expand the supply of data annotation engineers, the following measures apply from 1 May 2025.",
    "Article 1 Training subsidy. An enterprise in Beijing that trains data annotation engineers receives 2,600 yuan per certified trainee.",
    "Responsible: Beijing Municipal Human Resources and Social Security Bureau; Beijing Municipal Finance Bureau",
    "Article 2 Application deadline. Applications for the data annotation training subsidy close on November 15, 2025.",
    "Responsible: Beijing Municipal Human Resources and Social Security Bureau",
    "Article 3 Mentors. Each certified data annotation mentor receives an allowance of 900 yuan per month for up to six months.",
    "Lead unit: Beijing Municipal Bureau of Economy and Information Technology; Supporting units: Beijing Municipal Finance Bureau",
    "April 20, 2025",
]


# The Chinese rendering of the English notice, aligned by article numbers.
DOCX_ZH_PARAGRAPHS = [
    "关于2025年数据标注工程师补贴的通知",
    "为扩大数据标注工程师供给，自2025年5月1日起实行以下措施。",
    "第一条 培训补贴。在本市注册的企业培训数据标注工程师的，每名取得证书的学员补贴2600元。",
    "责任单位：市人力资源社会保障局、市财政局",
    "第二条 申报截止。数据标注培训补贴申报于2025年11月15日截止。",
    "责任单位：市人力资源社会保障局",
    "第三条 导师津贴。每名取得证书的数据标注导师每月可获得津贴900元，最长六个月。",
    "牵头单位：市经济和信息化局；配合单位：市财政局",
    "2025年4月20日",
]


def docx_file(path: Path, paragraphs: list[str] = DOCX_PARAGRAPHS) -> Path:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))
    return path


PDF_TITLE = "北京市低空经济人才引进奖励办法"
PDF_PARAGRAPHS = [
    "京经信发〔2025〕12号",
    "第一章 总则",
    "第一条 为加快低空经济人才集聚，支持无人机飞控工程师在本市就业创业，根据有关规定，制定本办法。（市经济和信息化局）",
    "第二章 奖励标准",
    "第二条 经认定的无人机飞控工程师，在本市连续工作满一年的，给予每人一次性安家补贴8万元。（市经济和信息化局、市财政局）",
    "第三条 无人机飞控工程师奖励每年申报一次，申报截止日期为2025年10月31日。（市经济和信息化局、市人力资源社会保障局）",
    "北京市经济和信息化局",
    "2025年6月1日",
]
# The English rendering of the PDF notice, as a plain text file.
PDF_EN_TEXT = """Beijing Measures for Rewarding the Recruitment of Low-Altitude Economy Talent

Chapter 1 General Provisions

Article 1 These measures are made to gather low-altitude economy talent and to support drone flight-control engineers \
in working and starting businesses in Beijing. (Beijing Municipal Bureau of Economy and Information Technology)

Chapter 2 Rewards

Article 2 A certified drone flight-control engineer who has worked in Beijing for a full year receives a one-off \
settling-in subsidy of 80,000 yuan. (Beijing Municipal Bureau of Economy and Information Technology; Beijing Municipal Finance Bureau)

Article 3 The drone flight-control engineer reward is applied for once a year; the application deadline is October 31, 2025. \
(Beijing Municipal Bureau of Economy and Information Technology; Beijing Municipal Human Resources and Social Security Bureau)

Beijing Municipal Bureau of Economy and Information Technology

June 1, 2025
"""
# Kangxi radicals as a PDF text layer often holds them: ⼈ (U+2F08) for 人, ⼒ (U+2F12) for 力.
KANGXI = {"人": "\u2f08", "力": "\u2f12"}


def cjk_font() -> Path:
    """A Noto CJK font on this machine (fonts-noto-cjk), or skip: fpdf2 must embed one to write Chinese."""
    for pattern in ("NotoSansCJK*-Regular.ttc", "NotoSerifCJK*-Regular.ttc", "NotoSansCJK*.ttc", "NotoSansSC*.otf", "NotoSansSC*.ttf"):
        for base in (Path("/usr/share/fonts"), Path("/usr/local/share/fonts")):
            found = sorted(base.rglob(pattern)) if base.is_dir() else []
            if found:
                return found[0]
    pytest.skip("no Noto CJK font installed (apt-get install fonts-noto-cjk) to write a Chinese PDF")


def pdf_file(path: Path, paragraphs: list[str] = PDF_PARAGRAPHS, title: str = PDF_TITLE, kangxi: bool = True) -> Path:
    """Two pages with a running header and '- n -' page numbers; long lines wrap, as a layout does."""
    from fpdf import FPDF

    pdf = FPDF(format=(148, 210))  # A5, in mm
    pdf.add_font("cjk", fname=str(cjk_font()))
    pdf.set_font("cjk", size=11)
    pdf.set_auto_page_break(False)
    pages = [[title, *paragraphs[:4]], paragraphs[4:]]
    for lines in pages:
        pdf.add_page()
        pdf.set_xy(10, 8)
        pdf.cell(0, 6, "北京市经济和信息化局文件")
        pdf.set_xy(10, 20)
        for text in lines:
            for a, b in KANGXI.items() if kangxi else ():
                text = text.replace(a, b)
            pdf.multi_cell(0, 7, text)
            pdf.ln(2)
        pdf.set_xy(10, 195)
        pdf.cell(0, 6, f"- {pdf.page_no()} -", align="C")
    pdf.output(str(path))
    return path

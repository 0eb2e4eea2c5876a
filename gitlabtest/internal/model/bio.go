package model

import "strings"

// BioHTML is a user's bio_html (lib/api/entities/users/bio_html.rb):
// MarkupHelper.markdown_field renders the bio through Banzai's
// UserBioPipeline (lib/banzai/pipeline/user_bio_pipeline.rb). Its
// MarkdownFilter makes paragraphs of the lines between blank lines;
// UserBioSanitizationFilter keeps only em, strong and code, so a
// paragraph's tags go and leave a space on either side, and a hard line
// break (two spaces ending a line that another line follows) leaves a
// space before the line end; TrimWhitespaceFilter trims both ends. The
// text is escaped as Nokogiri writes it (&, < and >). The fake takes the
// bio as plain text: Markdown markup, inline HTML and emoji in it stay
// as they are written, where GitLab would render or strip them.
func BioHTML(bio string) string {
	var paragraphs []string
	var p strings.Builder
	hardBreak := false
	for line := range strings.SplitSeq(strings.ReplaceAll(bio, "\r\n", "\n"), "\n") {
		text := strings.Trim(line, " \t")
		if text == "" {
			if p.Len() > 0 {
				paragraphs = append(paragraphs, " "+p.String()+" ")
				p.Reset()
			}
			continue
		}
		if p.Len() > 0 {
			if hardBreak {
				p.WriteString(" ")
			}
			p.WriteString("\n")
		}
		p.WriteString(escapeText.Replace(text))
		hardBreak = strings.HasSuffix(line, "  ")
	}
	if p.Len() > 0 {
		paragraphs = append(paragraphs, " "+p.String()+" ")
	}
	return strings.Trim(strings.Join(paragraphs, "\n"), " \t\n\v\f\r")
}

// escapeText escapes a text node as Nokogiri serializes one.
var escapeText = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

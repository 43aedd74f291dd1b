"""Small inputs shared by several test modules."""
# short Vietnamese inputs of different lengths, for batching and backend-agreement tests
SENTENCES = [
    "Hà Nội là thủ đô của Việt Nam.",
    "Sáng nay, Thủ tướng chủ trì cuộc họp về phát triển kinh tế - xã hội với nhiều bộ, ngành và địa phương.",
    "Giá xăng giảm.",
    "Đội tuyển bóng đá Việt Nam giành chiến thắng 2-0 trước đối thủ ở vòng loại.",
    "Mưa lớn gây ngập úng ở miền Trung.",
]
